import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxOptionsFromFlags } from '../../src/sandbox/sandbox-flags.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = `
import { Command } from 'commander';
import { addSandboxCommand } from './src/sandbox/sandbox-command.ts';
const program = new Command('closeloop');
addSandboxCommand(program);
await program.parseAsync(process.argv.slice(1), { from: 'user' });
`;

function runSandbox(args: string[]): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT, 'sandbox', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = new Promise<string>((resolveUrl, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolveUrl(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited early with ${code}`)));
  });
  return { child, url };
}

describe('closeloop sandbox', () => {
  it('maps flags to options, with the documented defaults', () => {
    const result = sandboxOptionsFromFlags({
      port: '4010',
      host: '127.0.0.1',
      timeZone: 'America/New_York',
      currency: 'USD',
      requestsPer10s: '100',
      windowMs: '10000',
      dailyLimit: '250000',
      searchPerSecond: '5',
      subscriptions: 'infra/hubspot/src/app/webhooks/webhooks-hsmeta.json',
      faults: '429, 503,timeout',
      failRate: '0.2',
      shuffle: true,
      lifecycleDates: 'legacy',
    });
    expect(result).toEqual({
      ok: true,
      options: {
        port: 4010,
        host: '127.0.0.1',
        timeZone: 'America/New_York',
        currency: 'USD',
        requestsPer10s: 100,
        windowMs: 10_000,
        dailyLimit: 250_000,
        searchPerSecond: 5,
        faults: ['429', '503', 'timeout'],
        failRate: 0.2,
        shuffle: true,
        lifecycleDates: 'legacy',
        subscriptionsPath: 'infra/hubspot/src/app/webhooks/webhooks-hsmeta.json',
      },
    });
    const bad = sandboxOptionsFromFlags({
      port: 'x',
      timeZone: 'UTC',
      currency: 'USD',
      requestsPer10s: '1',
      windowMs: '1',
      dailyLimit: '1',
      searchPerSecond: '1',
      subscriptions: 'p',
      failRate: '2',
    });
    expect(bad.ok ? [] : bad.problems.map((p) => p.split(':')[0])).toEqual(['--port', '--fail-rate']);
  });

  it('prints its URL, enforces the access token and budget, and exits cleanly on SIGTERM', async () => {
    const { child, url } = runSandbox(['--port', '0', '--access-token', 'tok', '--requests-per-10s', '7']);
    const base = await url;
    expect((await fetch(`${base}/crm/v3/objects/contacts`)).status).toBe(401);
    const ok = await fetch(`${base}/crm/v3/objects/contacts`, { headers: { Authorization: 'Bearer tok' } });
    expect([ok.status, ok.headers.get('x-hubspot-ratelimit-max')]).toEqual([200, '7']);
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type Workers } from '../../jobs/worker.ts';
import { runDoctor } from '../../src/commands/doctor.ts';
import { setup } from '../../src/commands/setup.ts';
import { loadConfig } from '../../src/config.ts';
import type { Check } from '../../src/core/doctor-verdicts.ts';
import { connectHubSpot } from '../../src/hubspot/connect.ts';
import { REQUIRED_SCOPES } from '../../src/hubspot/scopes.ts';
import { createLogger } from '../../src/logger.ts';
import { connectRedis } from '../../src/redis.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { type RunningServer, startServer } from '../../src/serve.ts';
import { freePort, type PrivateRedis, startPrivateRedis } from '../support/private-redis.ts';

const run = promisify(execFile);
const TOKEN = 'doctor-access-token-2f9c';
const SECRET = 'doctor-client-secret-81ad';
const logger = createLogger({ level: 'silent' });

/**
 * A healthy installation on its own Redis (AOF on, noeviction, as infra/redis.conf sets it), a
 * sandbox portal that was set up, `serve` at the public URL and workers connected; each test
 * breaks one thing and expects doctor to name it.
 */
describe('closeloop doctor', () => {
  let redis: PrivateRedis;
  let admin: Redis;
  let sandbox: RunningSandbox;
  let server: RunningServer;
  let workers: Workers;
  let env: Record<string, string>;

  const doctor = (overrides: Record<string, string> = {}) => runDoctor({ ...env, ...overrides });
  const named = (checks: Check[], name: string) => checks.filter((check) => check.name === name);
  const failures = (checks: Check[]) =>
    checks.filter((check) => check.status === 'fail').map((check) => check.name);
  const sandboxAdmin = (path: string, body: unknown) =>
    fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    redis = await startPrivateRedis(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']);
    admin = new Redis(redis.url);
    sandbox = await startSandbox({
      accessToken: TOKEN,
      clientSecret: SECRET,
      requestsPer10s: 0,
      webhooks: false,
    });
    const port = await freePort();
    env = {
      HUBSPOT_ACCESS_TOKEN: TOKEN,
      HUBSPOT_CLIENT_SECRET: SECRET,
      HUBSPOT_BASE_URL: sandbox.url,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      PORT: String(port),
      WORK_PORT: '0',
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'doctor',
    };
    const config = loadConfig(env);
    server = await startServer(config, logger);
    const connection = connectRedis(redis.url, 'worker');
    await setup(
      connectHubSpot(config, connection, () => 'UTC'),
      connection,
      'doctor',
    );
    workers = startWorkers(
      config,
      connection,
      connectHubSpot(config, connection, () => 'UTC'),
      logger,
    );
    await workers.queues.events.waitUntilReady();
  }, 60_000);

  afterAll(async () => {
    await workers?.close();
    workers?.context.redis.disconnect();
    await server?.close();
    await sandbox?.close();
    admin?.disconnect();
    await redis?.stop();
  });

  it('passes a healthy installation, checking every scope, property, Redis setting and clock', async () => {
    const checks = await doctor();
    expect(failures(checks)).toEqual([]);
    for (const { scope } of REQUIRED_SCOPES) expect(named(checks, `scope ${scope}`)[0]?.status).toBe('ok');
    for (const name of [
      'settings',
      'token',
      'setup',
      'contacts properties',
      'deals properties',
      'version',
      'persistence',
      'maxmemory-policy',
      'clock against HubSpot',
      'clock against Redis',
      'workers',
      'daily API budget',
      'queue events',
    ])
      expect(named(checks, name)[0], name).toMatchObject({ status: 'ok' });
    // The test's public URL is plain HTTP, which HubSpot will not deliver to.
    expect(named(checks, 'public URL')[0]).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('https'),
    });
  });

  it('names a missing scope and says how to grant it', async () => {
    const granted = ['crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.deals.read'];
    await sandboxAdmin('/__sandbox/config', {
      scopes: [
        ...granted,
        'crm.objects.deals.write',
        'crm.schemas.contacts.write',
        'marketing.campaigns.read',
      ],
    });
    try {
      const checks = await doctor();
      expect(failures(checks)).toEqual(['scope crm.schemas.deals.write']);
      expect(named(checks, 'scope crm.schemas.deals.write')[0]?.fix).toContain('app-hsmeta.json');
      expect(named(checks, 'scope marketing.campaigns.revenue.read')[0]?.status).not.toBe('ok');
    } finally {
      await sandboxAdmin('/__sandbox/config', {
        scopes: [
          ...granted,
          'crm.objects.deals.write',
          'crm.schemas.contacts.read',
          'crm.schemas.contacts.write',
          'crm.schemas.deals.read',
          'crm.schemas.deals.write',
          'marketing.campaigns.read',
          'marketing.campaigns.revenue.read',
        ],
      });
    }
  });

  it('names Redis without noeviction', async () => {
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      const checks = await doctor();
      expect(failures(checks)).toEqual(['maxmemory-policy']);
      expect(named(checks, 'maxmemory-policy')[0]).toMatchObject({
        detail: expect.stringContaining('allkeys-lru'),
        fix: expect.stringContaining('noeviction'),
      });
    } finally {
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
    }
  });

  it('names Redis without an append-only file', async () => {
    await admin.config('SET', 'appendonly', 'no');
    try {
      expect(failures(await doctor())).toEqual(['persistence']);
    } finally {
      await admin.config('SET', 'appendonly', 'yes');
    }
  });

  it("names a stale clock: this machine ten minutes behind HubSpot's", async () => {
    await sandboxAdmin('/__sandbox/clock', { advanceMs: 10 * 60_000 });
    try {
      const checks = await doctor();
      expect(failures(checks)).toEqual(['clock against HubSpot']);
      const detail = named(checks, 'clock against HubSpot')[0]?.detail ?? '';
      expect(detail).toMatch(/^this machine is [\d.]+ s behind HubSpot/);
      // The Date header has whole seconds: ten minutes, give or take one.
      expect(Math.abs(Number(detail.match(/[\d.]+/)?.[0]) - 600)).toBeLessThanOrEqual(1.5);
    } finally {
      await sandboxAdmin('/__sandbox/clock', { now: Date.now() });
    }
  });

  it('names a property of the wrong type', async () => {
    const response = await fetch(`${sandbox.url}/crm/v3/properties/contacts/closeloop_lead_score`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'string', fieldType: 'text' }),
    });
    expect(response.status).toBe(200);
    try {
      const checks = await doctor();
      expect(failures(checks)).toEqual(['property contacts.closeloop_lead_score']);
      expect(named(checks, 'property contacts.closeloop_lead_score')[0]?.detail).toContain('type string');
    } finally {
      await fetch(`${sandbox.url}/crm/v3/properties/contacts/closeloop_lead_score`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'number', fieldType: 'number' }),
      });
    }
  });

  it("reports the day's budget from HubSpot's headers, and warns at the reserve", async () => {
    const probe = await fetch(`${sandbox.url}/crm/v3/objects/contacts?limit=1`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const used = 250_000 - Number(probe.headers.get('x-hubspot-ratelimit-daily-remaining'));
    // Doctor's first call (account details) is the day's next: it sees the limit less one more.
    await sandboxAdmin('/__sandbox/config', { dailyLimit: used + 51 });
    try {
      const plenty = named(await doctor(), 'daily API budget')[0];
      expect(plenty).toMatchObject({
        status: 'ok',
        detail: `50 of ${(used + 51).toLocaleString('en')} calls left today`,
      });
      await sandboxAdmin('/__sandbox/config', { dailyLimit: used + 100 });
      const low = named(await doctor({ HUBSPOT_DAILY_RESERVE_PERCENT: '90' }), 'daily API budget')[0];
      expect(low).toMatchObject({
        status: 'warn',
        detail: expect.stringContaining('reconcile and backfill wait'),
      });
    } finally {
      await sandboxAdmin('/__sandbox/config', { dailyLimit: 250_000 });
    }
  });

  it('names a refused token and a public URL nobody answers', async () => {
    const checks = await doctor({
      HUBSPOT_ACCESS_TOKEN: 'not-the-token-0000',
      PUBLIC_BASE_URL: 'http://127.0.0.1:9',
    });
    expect(failures(checks)).toEqual(['token', 'public URL']);
    expect(named(checks, 'token')[0]?.fix).toContain('Auth tab');
  });

  it('names a Redis it cannot reach, and still checks HubSpot', async () => {
    const checks = await doctor({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    expect(failures(checks)).toEqual(['reachable']);
    expect(named(checks, 'token')[0]?.status).toBe('ok');
  });

  it('lists every configuration problem without going further', async () => {
    const checks = await runDoctor({ ...env, HUBSPOT_CLIENT_SECRET: '', CLOSE_HORIZON_DAYS: 'soon' });
    expect(checks.map((check) => [check.section, check.status])).toEqual([['config', 'fail']]);
    expect(checks[0]?.detail).toContain('CLOSE_HORIZON_DAYS');
  });

  it('as a command: a checklist, exit 0 when nothing failed and 1 when something did', async () => {
    const cli = (extra: Record<string, string>) =>
      run(process.execPath, ['src/cli.ts', 'doctor'], { env: { ...process.env, ...env, ...extra } }).then(
        (done) => ({ code: 0, stdout: done.stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );
    const healthy = await cli({});
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toMatch(/^HubSpot$/m);
    expect(healthy.stdout).toMatch(/^0 failed, \d+ warnings, \d+ passed$/m);
    const broken = await cli({ PUBLIC_BASE_URL: 'http://127.0.0.1:9' });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/✗ public URL: .*HubSpot cannot deliver webhooks/);
    expect(broken.stdout).toMatch(/fix: check that `closeloop serve` runs/);
  });

  it('names missing workers: nothing would be synced', async () => {
    await workers.close();
    const checks = await doctor();
    expect(failures(checks)).toEqual(['workers']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { SCOPES } from '../../src/sandbox/scopes.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { freePort, type PrivateRedis, startPrivateRedis } from '../support/private-redis.ts';
import { portalRecords } from '../support/work-portal.ts';
import { canaryScanner, type Leak, makeCanaries } from './support/canaries.ts';
import { loggedProcesses, untilReady } from './support/logged-processes.ts';
import { misplacedSecrets, sendAll } from './support/misplaced-secrets.ts';
import { redisSnapshots } from './support/redis-snapshots.ts';
import { admin, newLeads } from './support/sandbox-admin.ts';

const PREFIX = 'canary';
const canaries = makeCanaries();
const scan = canaryScanner(canaries);
const SANDBOX_TIMING = {
  requestsPer10s: 0,
  webhookBatchMs: 20,
  webhookBackoffScale: 0.0005,
  timeoutHoldMs: 1000,
};

/**
 * serve, work, setup and doctor as real processes with canary secrets, logging everything
 * (trace), against the sandbox: normal traffic, requests carrying the secrets in odd places,
 * HubSpot failing with 5xx, 403 and 401. Then every log line, every Redis key and value (taken
 * while jobs failed, while deliveries waited, and at the end) and every job is searched.
 */
describe('secrets in logs, Redis and jobs', { timeout: 180_000 }, () => {
  const processes = loggedProcesses();
  let redis: PrivateRedis;
  let sandbox: RunningSandbox;
  let rotated: RunningSandbox;
  let snapshots: ReturnType<typeof redisSnapshots>;
  let env: Record<string, string>;
  let answered: number[] = [];

  async function startWork(name: string, extra: Record<string, string> = {}) {
    const workPort = await freePort();
    const work = processes.spawn(name, ['work'], { ...env, WORK_PORT: String(workPort), ...extra });
    await untilReady(`http://127.0.0.1:${workPort}/readyz`, work);
    return work;
  }

  /** HubSpot answers 5xx (jobs retried), then refuses a scope (jobs fail for good). */
  async function failingHubSpot() {
    await admin(sandbox, '/__sandbox/config', { failRate: 1, faults: ['500', '502', '503', '504'] });
    await admin(sandbox, '/__sandbox/seed', newLeads(1001));
    await snapshots.untilFailed(/^HubSpot 50\d/);
    await admin(sandbox, '/__sandbox/config', { failRate: 0, scopes: [] });
    await admin(sandbox, '/__sandbox/seed', newLeads(2001));
    await snapshots.untilFailed(/^HubSpot 403/);
    await admin(sandbox, '/__sandbox/config', { scopes: [...SCOPES] });
  }

  /** The token rotated in HubSpot but not in closeloop: deliveries wait while no worker runs, then 401s. */
  async function rotatedToken(work: { stop(): Promise<number | null> }) {
    expect(await work.stop()).toBe(0);
    await admin(sandbox, '/__sandbox/seed', newLeads(3001));
    await snapshots.untilWaiting();
    const stale = { ...env, HUBSPOT_BASE_URL: rotated.url };
    const staleWork = await startWork('work with a rotated token', stale);
    await snapshots.untilFailed(/^HubSpot 401/);
    await processes.run('doctor with a rotated token', ['doctor'], stale);
    await processes.run('setup with a rotated token', ['setup'], stale);
    expect(await staleWork.stop()).toBe(0);
  }

  async function startPortal() {
    redis = await startPrivateRedis();
    snapshots = redisSnapshots(redis.url, PREFIX);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { HUBSPOT_ACCESS_TOKEN: accessToken, HUBSPOT_CLIENT_SECRET: clientSecret } = canaries;
    const webhookUrl = `${base}/webhooks/hubspot`;
    sandbox = await startSandbox({ accessToken, clientSecret, webhookUrl, ...SANDBOX_TIMING });
    rotated = await startSandbox({
      accessToken: 'rotated-token',
      clientSecret,
      webhooks: false,
      ...SANDBOX_TIMING,
    });
    env = {
      ...canaries,
      HUBSPOT_BASE_URL: sandbox.url,
      PUBLIC_BASE_URL: base,
      PORT: String(port),
      REDIS_URL: redis.url,
      REDIS_PREFIX: PREFIX,
      LOG_LEVEL: 'trace',
      HUBSPOT_REQUESTS_PER_10S: '2000',
      WEBHOOK_REDIS_TIMEOUT_MS: '4000',
    };
    return base;
  }

  // The whole scenario runs in this hook: longer than a hook's default allowance.
  beforeAll(async () => {
    const base = await startPortal();
    expect((await processes.run('setup', ['setup'], env)).code).toBe(0);
    const serve = processes.spawn('serve', ['serve'], env);
    await untilReady(`${base}/readyz`, serve);
    const work = await startWork('work');
    await admin(sandbox, '/__sandbox/seed', portalRecords());
    await snapshots.settled(loadConfig(env), () => sandbox.stats().webhooks.pending);
    answered = await sendAll(base, misplacedSecrets(canaries, base));
    await failingHubSpot();
    await processes.run('doctor', ['doctor'], env);
    await rotatedToken(work);
    expect(await serve.stop()).toBe(0);
    await snapshots.take();
  }, 150_000);
  afterAll(async () => {
    await processes.killAll();
    await sandbox?.close();
    await rotated?.close();
    await redis?.stop();
  });

  it('scanned real output: every process logged, the misplaced secrets were answered, jobs failed', () => {
    const outputs = processes.outputs();
    for (const [name, output] of outputs) expect(output.length, name).toBeGreaterThan(0);
    expect(outputs.get('serve')).toMatch(/"msg":"request completed"/);
    expect(outputs.get('work')).toMatch(/"msg":"job failed"/);
    expect(
      answered.every((status) => status < 500),
      String(answered),
    ).toBe(true);
    expect(answered.filter((status) => status === 401).length).toBeGreaterThanOrEqual(12);
    // The lines that carried a misplaced secret were written, blanked.
    expect(outputs.get('serve')).toContain('"token":"[redacted]"');
    const reasons = snapshots.jobs.map((job) => job.failedReason).join('\n');
    for (const status of [/HubSpot 50\d/, /HubSpot 403/, /HubSpot 401/]) expect(reasons).toMatch(status);
    expect(snapshots.jobs.some((job) => job.stacktrace.length > 0)).toBe(true);
    const types = new Set(snapshots.keys.map((key) => key.type));
    expect(types).toEqual(new Set(['string', 'hash', 'list', 'set', 'zset', 'stream']));
  });

  it('finds a canary wherever it is planted, in any form', () => {
    const planted = `x${Buffer.from(`:${canaries.HUBSPOT_CLIENT_SECRET}`).toString('base64')}y`;
    expect(scan('planted', planted)).not.toEqual([]);
    expect(scan('planted', encodeURIComponent(canaries.DASHBOARD_TOKEN))).not.toEqual([]);
  });

  it('no log line of any process holds a secret', () => {
    const leaks: Leak[] = [...processes.outputs()].flatMap(([name, output]) =>
      scan(`log of ${name}`, output),
    );
    expect(leaks).toEqual([]);
  });

  it('no Redis key name or value holds a secret, whatever its type', () => {
    const leaks = snapshots.keys.flatMap((key) => [
      ...scan(`key name ${key.key}`, key.key),
      ...scan(`${key.type} ${key.key}`, key.content),
    ]);
    expect(leaks).toEqual([]);
  });

  it('no job holds a secret in its data, options, result, failure reason, stack trace or logs', () => {
    expect(snapshots.jobs.flatMap((job) => scan(`${job.queue} job ${job.id}`, job.text))).toEqual([]);
  });
});

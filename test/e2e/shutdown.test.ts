import { type Job, Queue, Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { currentGeneration } from '../../jobs/context.ts';
import { type CliProcess, spawnCli, waitUntilReady } from '../support/cli-process.ts';
import { freePort } from '../support/private-redis.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';
import { probe, tick, webhookLoad } from '../support/webhook-load.ts';
import { portalRecords, startWorkPortal, type WorkPortal } from '../support/work-portal.ts';

const SECRET = 'shutdown-client-secret-4c2d';
const CLIENTS = 6;
// What `work` logs when SHUTDOWN_TIMEOUT_SECONDS runs out with a job still running.
const CUT_OFF = 'jobs still running at the shutdown timeout';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const spawned: CliProcess[] = [];
const prefixes: string[] = [];
let portal: WorkPortal | undefined;

afterEach(async () => {
  await Promise.all(spawned.splice(0).map((cli) => cli.kill()));
  await portal?.stop();
  portal = undefined;
  await Promise.all(prefixes.splice(0).map((prefix) => deleteKeys(TEST_REDIS_URL, prefix)));
});

function newPrefix(name: string): string {
  const prefix = uniquePrefix(`${import.meta.filename}-${name}`);
  prefixes.push(prefix);
  return prefix;
}

/** Every delivery event's object id in the events queue, whatever state its job is in. */
async function queuedObjectIds(prefix: string): Promise<string[]> {
  const queue = new Queue('events', { connection: { url: TEST_REDIS_URL }, prefix });
  try {
    const counts = await queue.getJobCounts();
    const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed']);
    expect(jobs).toHaveLength(Object.values(counts).reduce((sum, count) => sum + count, 0));
    return jobs.flatMap((job: Job) => (job.data.events as Array<{ id: string }>).map((event) => event.id));
  } finally {
    await queue.close();
  }
}

describe('serve: SIGTERM under load', () => {
  it('fails readiness at once, answers during the drain, exits 0, and every 204 is a queued job', async () => {
    const prefix = newPrefix('serve');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const serve = spawnCli('serve', {
      HUBSPOT_CLIENT_SECRET: SECRET,
      PUBLIC_BASE_URL: base,
      PORT: String(port),
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      SHUTDOWN_DRAIN_SECONDS: '2',
      SHUTDOWN_TIMEOUT_SECONDS: '10',
      // Two busy cores must not turn a slow Redis answer into a 503: only shutdown is tested here.
      WEBHOOK_REDIS_TIMEOUT_MS: '4000',
    });
    spawned.push(serve);
    await waitUntilReady(`${base}/readyz`, serve);

    const load = webhookLoad(base, SECRET, CLIENTS);
    while (load.answers.length < 100 && load.failures.length === 0) await sleep(20);
    const readiness = probe(`${base}/readyz`);
    const signalled = tick();
    serve.child.kill('SIGTERM');
    const [code, seen] = await Promise.all([serve.exited, readiness, load.done]);

    expect(code, serve.output()).toBe(0);
    const draining = seen.find((answer) => answer.at > signalled && answer.status === 503);
    expect(draining, JSON.stringify(seen)).toBeDefined();
    const notReady = draining?.at ?? Number.POSITIVE_INFINITY;
    // Once not ready, never ready again: 503 until the listener closed (0: refused).
    const after = seen.filter((answer) => answer.at >= notReady).map((answer) => answer.status);
    expect(new Set(after)).toEqual(new Set([503, 0]));
    // Deliveries sent after readiness failed were still answered, each telling the client to reconnect.
    const drained = load.answers.filter((answer) => answer.sent > notReady);
    expect(drained.length).toBeGreaterThan(0);
    expect(new Set(drained.map((answer) => answer.connection))).toEqual(new Set(['close']));
    // Nothing but 204; every client ended on a refused connection, which HubSpot retries.
    expect(load.answers.filter((answer) => answer.status !== 204)).toEqual([]);
    const refused = load.failures.filter((failure) => failure.code === 'ECONNREFUSED');
    expect(refused).toHaveLength(CLIENTS);
    // Connections the kernel had not handed over when the listener closed are reset: only then,
    // never once a response had begun, and (below) none of them was queued.
    const resets = load.failures.filter((failure) => failure.code !== 'ECONNREFUSED');
    expect(resets.filter((reset) => reset.code !== 'ECONNRESET' || reset.midResponse)).toEqual([]);
    expect(resets.filter((reset) => reset.sent < notReady)).toEqual([]);

    // Exactly one job per 204, carrying that delivery.
    const answered = load.answers.map((answer) => String(answer.objectId));
    expect((await queuedObjectIds(prefix)).sort()).toEqual(answered.sort());
  }, 60_000);
});

async function portalWithDeliveries(name: string, slowMs: number): Promise<WorkPortal> {
  const started = await startWorkPortal(newPrefix(name));
  portal = started;
  await started.slow(slowMs);
  await started.admin('/__sandbox/seed', portalRecords());
  await started.sandbox.waitForWebhooksIdle();
  return started;
}

async function activeJob(queue: Queue, cli: CliProcess): Promise<Job> {
  for (;;) {
    const [job] = await queue.getJobs(['active']);
    if (job) return job;
    if (!cli.running()) throw new Error(`work exited with no active ${queue.name} job:\n${cli.output()}`);
    await sleep(50);
  }
}

/** Settles with a fresh `work` at normal speed, stops it, and compares with a rebuild from HubSpot. */
async function expectSettledLikeHubSpot(portal: WorkPortal): Promise<void> {
  await portal.slow(0);
  const { cli } = await portal.work({});
  await portal.settle();
  cli.child.kill('SIGTERM');
  expect(await cli.exited, cli.output()).toBe(0);
  const live = await portal.snapshot();
  expect([Object.keys(live.contacts).length, Object.keys(live.deals).length]).toEqual([24, 3]);
  // No id left taken by a job that never finished.
  expect(await portal.redis.keys(`${portal.keys.base}:inflight:*`)).toEqual([]);
  const generation = await currentGeneration(portal.redis, portal.keys);
  await portal.backfill();
  expect(await currentGeneration(portal.redis, portal.keys)).not.toBe(generation);
  expect(live).toEqual(await portal.snapshot());
}

describe('work: SIGTERM while a job runs', () => {
  it('fails readiness, lets the running sync finish, exits 0; a second worker settles like HubSpot', async () => {
    const portal = await portalWithDeliveries('finish', 1500);
    const { sync } = portal;
    const { cli, readyz } = await portal.work({ SHUTDOWN_TIMEOUT_SECONDS: '30' });
    const job = await activeJob(sync, cli);
    const signalledAt = Date.now();
    cli.child.kill('SIGTERM');
    const [code, seen] = await Promise.all([cli.exited, probe(readyz)]);

    expect(code, cli.output()).toBe(0);
    expect(cli.output()).not.toContain(CUT_OFF);
    const statuses = seen.map((answer) => answer.status);
    expect(statuses).toContain(503);
    expect(statuses.slice(statuses.indexOf(503))).not.toContain(200);
    // Completed by the worker that was told to stop, after it was told.
    const done = await sync.getJob(String(job.id));
    expect(await done?.getState()).toBe('completed');
    expect(done?.finishedOn).toBeGreaterThan(signalledAt);
    await expectSettledLikeHubSpot(portal);
  }, 60_000);

  it("cut off at SHUTDOWN_TIMEOUT_SECONDS=1, exits 0; BullMQ's stalled check hands the job to a new worker", async () => {
    const portal = await portalWithDeliveries('timeout', 5000);
    const { sync } = portal;
    const { cli } = await portal.work({ SHUTDOWN_TIMEOUT_SECONDS: '1' });
    const id = String((await activeJob(sync, cli)).id);
    cli.child.kill('SIGTERM');
    expect(await cli.exited, cli.output()).toBe(0);
    expect(cli.output()).toContain(CUT_OFF);
    // Neither failed nor completed: still active, under the dead worker's lock until it expires.
    expect(await sync.getJobState(id)).toBe('active');
    expect(await portal.redis.exists(`${portal.prefix}:sync:${id}:lock`)).toBe(1);

    // BullMQ's own stalled check (the script `work` runs every 30 s), here every 500 ms; the dead
    // worker's lock still runs out on its own (BullMQ's lockDuration, 30 s). No setting of
    // closeloop shortens either.
    const checker = new Worker('sync', null, {
      connection: { url: TEST_REDIS_URL },
      prefix: portal.prefix,
      autorun: false,
      stalledInterval: 500,
    });
    try {
      await checker.startStalledCheckTimer();
      while ((await sync.getJobState(id)) === 'active') await sleep(200);
    } finally {
      await checker.close();
    }
    expect(await sync.getJobState(id)).toBe('waiting');

    await expectSettledLikeHubSpot(portal);
    const rerun = await sync.getJob(id);
    expect(await rerun?.getState()).toBe('completed');
    expect(rerun?.stalledCounter).toBe(1);
  }, 60_000);
});

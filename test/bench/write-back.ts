import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { scheduler, wakeQueues } from '../../jobs/context.ts';
import { waitUntilSettled } from '../../src/commands/settled.ts';
import { setup } from '../../src/commands/setup.ts';
import { loadConfig } from '../../src/config.ts';
import { connectHubSpot } from '../../src/hubspot/connect.ts';
import { QUEUE_NAMES } from '../../src/queue.ts';
import { connectRedis, waitForRedis } from '../../src/redis.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { freePort } from '../support/private-redis.ts';
import { deleteKeys } from '../support/redis.ts';
import { startCloseloop } from './closeloop-process.ts';
import { scaledDemoPortal } from './scaled-demo-portal.ts';
import { shownValues } from './shown-values.ts';
import { closeloopEnv } from './work-scaling.ts';
import { seedAndBackfill } from './work-scaling-portal.ts';
import {
  type Bench,
  moveLeads,
  type WriteBackOptions,
  type WriteBackRun,
  writeBackRun,
} from './write-back-run.ts';

/**
 * Write-back efficiency: one real `closeloop work` process against a sandbox with HubSpot's
 * latency and a Professional app's 10-second limit, a burst large enough to be a backlog of
 * several windows, and a naive writer (one PATCH per record) on a twin sandbox beside it.
 */
const TOKEN = 'bench-access-token';
const SECRET = 'bench-client-secret';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface WriteBackResult {
  readonly runs: WriteBackRun[];
  readonly contacts: number;
  readonly deals: number;
  readonly leads: number;
  readonly loadAverage: number;
}

/** The naive writer's sandbox: the same records, and closeloop's properties for it to write. */
async function prepareTwin(sandbox: RunningSandbox, copies: number, redis: Redis, prefix: string) {
  for (const copy of scaledDemoPortal(sandbox.clock.now(), copies)) {
    const response = await fetch(`${sandbox.url}/__sandbox/seed`, {
      method: 'POST',
      body: JSON.stringify(copy),
    });
    if (!response.ok) throw new Error(`twin seed → ${response.status} ${await response.text()}`);
  }
  const env = { HUBSPOT_ACCESS_TOKEN: TOKEN, HUBSPOT_BASE_URL: sandbox.url, REDIS_PREFIX: prefix };
  const config = loadConfig({ ...env, HUBSPOT_REQUESTS_PER_10S: '10000' });
  await setup(
    connectHubSpot(config, redis, () => 'UTC'),
    redis,
    prefix,
  );
}

async function configure(sandbox: RunningSandbox, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox/config`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`sandbox config → ${response.status} ${await response.text()}`);
}

/** Backfill and the first write of every record at full speed (preparation), in a process of its own. */
async function prepare(env: Record<string, string>, settle: () => Promise<void>): Promise<void> {
  const work = await startCloseloop('work', { ...env, HUBSPOT_REQUESTS_PER_10S: '10000' });
  try {
    await settle();
  } finally {
    await work.stop();
  }
}

/** One uncounted warm-up repetition, then the measured ones. */
async function runAll(bench: Bench, options: WriteBackOptions, progress: (line: string) => void) {
  const runs: WriteBackRun[] = [];
  for (let rep = 0; rep <= options.repetitions; rep++) {
    const run = await writeBackRun(bench, options, rep);
    const writes = run.burst.calls;
    progress(
      `write-back: ${rep === 0 ? 'warm-up: ' : ''}${run.burst.seconds.toFixed(1)} s, ${run.changed.contacts + run.changed.deals} records changed, calls ${JSON.stringify(writes)}, budget use ${run.burst.use.use?.toFixed(2)}, naive ${run.naive.seconds.toFixed(1)} s`,
    );
    if (rep > 0) runs.push(run);
  }
  return runs;
}

/** The portal seeded, backfilled and written, its twin ready, the bench's view of both. */
async function openBench(
  sandboxes: { sandbox: RunningSandbox; naiveSandbox: RunningSandbox },
  redis: Redis,
  prefix: string,
  options: WriteBackOptions,
) {
  const { sandbox, naiveSandbox } = sandboxes;
  const env = closeloopEnv(sandbox, await freePort(), prefix, options.requestsPer10s);
  const seeded = await seedAndBackfill(sandbox, redis, env, options.copies);
  await prepareTwin(naiveSandbox, options.copies, redis, `${prefix}-twin`);
  const config = loadConfig(env);
  const settle = () =>
    waitUntilSettled({
      redis,
      config,
      portal: seeded.portalId,
      webhooksPending: () => 0,
      timeoutMs: 600_000,
    });
  await prepare(env, settle);
  const allIds = { contacts: seeded.contactIds, deals: seeded.dealIds };
  const wake = wakeQueues(redis, prefix);
  const schedule = scheduler(wake);
  const events = new Queue(QUEUE_NAMES.events, { connection: redis, prefix });
  const bench: Bench = {
    ...sandboxes,
    token: TOKEN,
    portal: seeded.portalId,
    leadIds: seeded.leadIds,
    allIds,
    events,
    wakeStats: () => schedule('stats', seeded.portalId),
    settle,
    throttle: {
      requestsPer10s: options.requestsPer10s,
      faults: ['slow'],
      failRate: 1,
      slowMs: options.latencyMs,
    },
    shown: await shownValues(sandbox, TOKEN, allIds),
  };
  const close = () => Promise.all([events, ...Object.values(wake)].map((queue) => queue.close()));
  return { bench, env, seeded, close };
}

export async function measureWriteBack(
  options: WriteBackOptions,
  progress: (line: string) => void,
): Promise<WriteBackResult> {
  const loadAverage = loadavg()[0] ?? 0;
  const prefix = `bench-writeback-${randomBytes(3).toString('hex')}`;
  const sandboxOptions = { accessToken: TOKEN, clientSecret: SECRET, requestsPer10s: 0, webhooks: false };
  const sandboxes = {
    sandbox: await startSandbox(sandboxOptions),
    naiveSandbox: await startSandbox(sandboxOptions),
  };
  const redis = connectRedis(REDIS_URL, 'cli');
  let opened: Awaited<ReturnType<typeof openBench>> | undefined;
  try {
    await waitForRedis(redis, 5000);
    opened = await openBench(sandboxes, redis, prefix, options);
    const { bench, env, seeded } = opened;
    progress(`write-back: ${seeded.contacts} contacts, ${seeded.deals} deals set up, backfilled and written`);
    const work = await startCloseloop('work', env);
    try {
      await moveLeads(bench, 0);
      await Promise.all(Object.values(sandboxes).map((sandbox) => configure(sandbox, bench.throttle)));
      const runs = await runAll(bench, options, progress);
      return {
        runs,
        contacts: seeded.contacts,
        deals: seeded.deals,
        leads: seeded.leadIds.length,
        loadAverage,
      };
    } finally {
      await work.stop();
    }
  } finally {
    await opened?.close();
    await Promise.all(Object.values(sandboxes).map((sandbox) => sandbox.close()));
    redis.disconnect();
    await deleteKeys(REDIS_URL, prefix);
    await deleteKeys(REDIS_URL, `${prefix}-twin`);
  }
}

import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { waitUntilSettled } from '../../src/commands/settled.ts';
import { loadConfig } from '../../src/config.ts';
import { QUEUE_NAMES } from '../../src/queue.ts';
import { connectRedis, waitForRedis } from '../../src/redis.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { portalKeys } from '../../src/store/keys.ts';
import { freePort } from '../support/private-redis.ts';
import { deleteKeys } from '../support/redis.ts';
import { cpuSecondsOf, startCloseloop } from './closeloop-process.ts';
import { startNoopWorker } from './noop-worker-process.ts';
import { type Bench, type ProcessingOptions, type ProcessingRun, runAll } from './processing-runs.ts';
import { closeloopEnv } from './work-scaling.ts';
import { seedAndBackfill } from './work-scaling-portal.ts';

/**
 * Processing: how fast `closeloop work` applies a burst of webhook events to the projection
 * (HubSpot at full speed, no rate limit), beside BullMQ's ceiling — a bare Worker with an empty
 * processor taking the same delivery jobs from the same Redis — and how many HubSpot reads the
 * burst costs once sync has coalesced its events.
 */
const TOKEN = 'bench-access-token';
const SECRET = 'bench-client-secret';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface ProcessingResult {
  readonly runs: ProcessingRun[];
  readonly contacts: number;
  readonly deals: number;
  /** Records the burst changed and its events are spread over. */
  readonly records: number;
  readonly loadAverage: number;
}

/** The portal set up and backfilled, `closeloop work` and the no-op worker running and settled. */
async function openBench(
  sandbox: RunningSandbox,
  redis: Redis,
  prefixes: { closeloop: string; noop: string },
  closers: (() => Promise<unknown>)[],
): Promise<Bench> {
  const env = closeloopEnv(sandbox, await freePort(), prefixes.closeloop, 10_000);
  const seeded = await seedAndBackfill(sandbox, redis, env);
  const work = await startCloseloop('work', env);
  closers.push(() => work.stop());
  const noopWorker = await startNoopWorker(REDIS_URL, prefixes.noop);
  closers.push(() => new Promise((resolve) => noopWorker.child.once('exit', resolve).kill('SIGTERM')));
  const queue = (name: string, on: string) => new Queue(name, { connection: redis, prefix: on });
  const queues = {
    events: queue(QUEUE_NAMES.events, prefixes.closeloop),
    sync: queue(QUEUE_NAMES.sync, prefixes.closeloop),
  };
  const noopQueue = queue(QUEUE_NAMES.events, prefixes.noop);
  closers.push(() => Promise.all([queues.events.close(), queues.sync.close(), noopQueue.close()]));
  const config = loadConfig(env);
  const keys = portalKeys(prefixes.closeloop, seeded.portalId);
  const settle = () =>
    waitUntilSettled({
      redis,
      config,
      portal: seeded.portalId,
      webhooksPending: () => 0,
      timeoutMs: 600_000,
    });
  await settle();
  return {
    sandbox,
    redis,
    portal: seeded,
    records: [
      ...seeded.leadIds.map((id) => ({ object: 'contact' as const, id })),
      ...seeded.openDealIds.map((id) => ({ object: 'deal' as const, id })),
    ],
    work,
    noop: { queue: noopQueue, cpuSeconds: () => cpuSecondsOf(noopWorker.pid) },
    queues,
    pendingKeys: [keys.pending('contact'), keys.pending('deal')],
    settle,
  };
}

export async function measureProcessing(
  options: ProcessingOptions,
  progress: (line: string) => void,
): Promise<ProcessingResult> {
  const loadAverage = loadavg()[0] ?? 0;
  const prefix = `bench-processing-${randomBytes(3).toString('hex')}`;
  const prefixes = { closeloop: prefix, noop: `${prefix}-noop` };
  // No serve: the burst's delivery jobs are added as serve's inbox adds them, so ingest is not measured.
  const sandbox = await startSandbox({
    accessToken: TOKEN,
    clientSecret: SECRET,
    requestsPer10s: 0,
    webhooks: false,
  });
  const redis = connectRedis(REDIS_URL, 'cli');
  const closers: (() => Promise<unknown>)[] = [];
  try {
    await waitForRedis(redis, 5000);
    const bench = await openBench(sandbox, redis, prefixes, closers);
    const { contacts, deals } = bench.portal;
    progress(`processing: ${contacts} contacts, ${deals} deals set up and backfilled`);
    const runs = await runAll(bench, options, progress);
    return { runs, contacts, deals, records: bench.records.length, loadAverage };
  } finally {
    for (const close of closers.reverse()) await close();
    await sandbox.close();
    redis.disconnect();
    await deleteKeys(REDIS_URL, prefixes.closeloop);
    await deleteKeys(REDIS_URL, prefixes.noop);
  }
}

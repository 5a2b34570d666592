import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { connectRedis, waitForRedis } from '../../src/redis.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { deleteKeys } from '../support/redis.ts';
import { startCloseloop } from './closeloop-process.ts';
import { shownValues } from './shown-values.ts';
import { configure, type OpenedBench, openBench, TOKEN } from './write-back-bench.ts';
import {
  type Bench,
  moveLeads,
  type WriteBackOptions,
  type WriteBackRun,
  warmUpUnthrottled,
  writeBackRun,
} from './write-back-run.ts';

/**
 * Write-back efficiency: one real `closeloop work` process against a sandbox with HubSpot's
 * latency and an app's 10-second limit (a Professional app's in the full run), a burst large
 * enough to be a backlog past one window, and a naive writer (one PATCH per record) on a twin
 * sandbox beside it.
 */
const SECRET = 'bench-client-secret';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface WriteBackResult {
  readonly runs: WriteBackRun[];
  readonly contacts: number;
  readonly deals: number;
  readonly leads: number;
  readonly loadAverage: number;
}

/**
 * The first write of every record after the backfill, and an unthrottled warm-up if asked, at full
 * speed (preparation), in a process of its own.
 */
async function prepare(env: Record<string, string>, bench: Bench, warmUp: WriteBackOptions['warmUp']) {
  const work = await startCloseloop('work', { ...env, HUBSPOT_REQUESTS_PER_10S: '10000' });
  try {
    await bench.settle();
    if (warmUp === 'unthrottled') await warmUpUnthrottled(bench);
  } finally {
    await work.stop();
  }
}

/** The first measured repetition: 1, or 0 for a throttled warm-up run like the others but not counted. */
const firstRep = (options: WriteBackOptions) => (options.warmUp === 'throttled' ? 0 : 1);

/** One uncounted warm-up repetition (unless it ran at full speed already), then the measured ones. */
async function runAll(bench: Bench, options: WriteBackOptions, progress: (line: string) => void) {
  const runs: WriteBackRun[] = [];
  for (let rep = firstRep(options); rep <= options.repetitions; rep++) {
    const turn = { calledLately: rep > firstRep(options), last: rep === options.repetitions };
    const run = await writeBackRun(bench, options, rep, turn);
    const writes = run.burst.calls;
    progress(
      `write-back: ${rep === 0 ? 'warm-up: ' : ''}${run.burst.seconds.toFixed(1)} s, ${run.changed.contacts + run.changed.deals} records changed, calls ${JSON.stringify(writes)}, budget use ${run.burst.use.use?.toFixed(2)}, naive ${run.naive.seconds.toFixed(1)} s`,
    );
    if (rep > 0) runs.push(run);
  }
  return runs;
}

/** The measured repetitions on the prepared portal, with one real `closeloop work` at the app's limit. */
async function measureOn(opened: OpenedBench, options: WriteBackOptions, progress: (line: string) => void) {
  const { bench, env, seeded } = opened;
  await prepare(env, bench, options.warmUp);
  bench.shown = await shownValues(bench.sandbox, TOKEN, bench.allIds);
  progress(`write-back: ${seeded.contacts} contacts, ${seeded.deals} deals set up, backfilled and written`);
  const work = await startCloseloop('work', env);
  try {
    await moveLeads(bench, firstRep(options));
    const sandboxes = [bench.sandbox, bench.naiveSandbox];
    await Promise.all(sandboxes.map((sandbox) => configure(sandbox, bench.throttle)));
    return await runAll(bench, options, progress);
  } finally {
    await work.stop();
  }
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
  let opened: OpenedBench | undefined;
  try {
    await waitForRedis(redis, 5000);
    opened = await openBench(sandboxes, redis, prefix, options);
    const runs = await measureOn(opened, options, progress);
    const { seeded } = opened;
    return {
      runs,
      contacts: seeded.contacts,
      deals: seeded.deals,
      leads: seeded.leadIds.length,
      loadAverage,
    };
  } finally {
    await opened?.close();
    await Promise.all(Object.values(sandboxes).map((sandbox) => sandbox.close()));
    redis.disconnect();
    await deleteKeys(REDIS_URL, prefix);
    await deleteKeys(REDIS_URL, `${prefix}-twin`);
  }
}

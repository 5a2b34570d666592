import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { waitUntilSettled } from '../../src/commands/settled.ts';
import { loadConfig } from '../../src/config.ts';
import { connectRedis, waitForRedis } from '../../src/redis.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { freePort } from '../support/private-redis.ts';
import { deleteKeys } from '../support/redis.ts';
import type { Refill } from './budget-refill.ts';
import { type CloseloopProcess, startCloseloop } from './closeloop-process.ts';
import { seedAndBackfill, spread, throttle } from './work-scaling-portal.ts';
import type { ScalingRun } from './work-scaling-report.ts';
import { type Bench, type Burst, measureRun } from './work-scaling-run.ts';

/**
 * How `closeloop work` scales out: one sandbox portal with HubSpot's latency and a Professional
 * app's 10-second limit, one `serve` receiving its signed webhooks, and 1, 2, 4 (as many as asked)
 * real `work` processes on one Redis, timed on a burst of contact updates until all is written back.
 */
const TOKEN = 'bench-access-token';
const SECRET = 'bench-client-secret';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface ScalingOptions {
  /** Contact updates per burst. */
  readonly changes: number;
  readonly processes: readonly number[];
  readonly repetitions: number;
  readonly latencyMs: number;
  /** The app's limit per rolling 10 s (HUBSPOT_REQUESTS_PER_10S; closeloop uses 80 % of it). */
  readonly requestsPer10s: number;
  /**
   * `same`: every burst moves the same leads, which go back after it, after one uncounted warm-up
   * (it records the SQL entry dates later bursts only move). `fresh`: each burst moves leads no
   * burst moved before, so nothing goes back and there is nothing for a warm-up to record.
   */
  readonly leads: 'same' | 'fresh';
  /** How each burst gets a full rate budget. */
  readonly refill: Refill;
}

export interface ScalingResult {
  readonly runs: ScalingRun[];
  readonly contacts: number;
  readonly deals: number;
  /** The machine's 1-minute load average when the benchmark started (other work shows in the numbers). */
  readonly loadAverage: number;
}

export function closeloopEnv(sandbox: RunningSandbox, port: number, prefix: string, requestsPer10s: number) {
  return {
    HUBSPOT_ACCESS_TOKEN: TOKEN,
    HUBSPOT_CLIENT_SECRET: SECRET,
    HUBSPOT_BASE_URL: sandbox.url,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    PORT: String(port),
    WORK_PORT: '0',
    REDIS_URL,
    REDIS_PREFIX: prefix,
    HUBSPOT_REQUESTS_PER_10S: String(requestsPer10s),
    // Only the burst's work is timed: no reconcile sweep starts in the middle of it.
    RECONCILE_INTERVAL_MINUTES: '0',
    RECONCILE_ID_SWEEP_HOURS: '0',
    SHUTDOWN_DRAIN_SECONDS: '0',
    LOG_LEVEL: 'info',
  };
}

/** The bursts in order: how many work processes (0: the uncounted warm-up, with one) and which leads. */
export function burstSchedule(options: ScalingOptions, leadIds: readonly string[]) {
  const measured = Array.from({ length: options.repetitions }, () => options.processes).flat();
  if (options.leads === 'same') {
    const ids = spread(leadIds, options.changes);
    return [0, ...measured].map((count) => ({ count, ids }));
  }
  // One evenly spread pick for all the bursts, dealt out in turn, so each burst's leads are spread too.
  const all = spread(leadIds, options.changes * measured.length);
  return measured.map((count, index) => ({
    count,
    ids: all.filter((_, at) => at % measured.length === index),
  }));
}

async function runAll(
  bench: Bench,
  options: ScalingOptions,
  leadIds: readonly string[],
  progress: (line: string) => void,
) {
  const runs: ScalingRun[] = [];
  for (const [index, { count, ids }] of burstSchedule(options, leadIds).entries()) {
    const moveBack = options.leads === 'same';
    const burst: Burst = { ids, moveBack, refill: options.refill, calledLately: index > 0 };
    const run = await measureRun(bench, Math.max(count, 1), burst);
    progress(
      `work scaling: ${count === 0 ? 'warm-up, 1' : count} work process(es): ${run.seconds.toFixed(1)} s, ${run.calls} calls, busiest 10 s ${run.busiest10s}`,
    );
    if (count > 0) runs.push(run);
  }
  return runs;
}

export async function measureWorkScaling(
  options: ScalingOptions,
  progress: (line: string) => void,
): Promise<ScalingResult> {
  const loadAverage = loadavg()[0] ?? 0;
  const prefix = `bench-work-${randomBytes(3).toString('hex')}`;
  const port = await freePort();
  const sandbox = await startSandbox({
    accessToken: TOKEN,
    clientSecret: SECRET,
    webhookUrl: `http://127.0.0.1:${port}/webhooks/hubspot`,
    requestsPer10s: 0,
    webhookBackoffScale: 0.001,
  });
  const redis = connectRedis(REDIS_URL, 'cli');
  let serve: CloseloopProcess | undefined;
  try {
    await waitForRedis(redis, 5000);
    const env = closeloopEnv(sandbox, port, prefix, options.requestsPer10s);
    const portal = await seedAndBackfill(sandbox, redis, env);
    progress(`work scaling: ${portal.contacts} contacts, ${portal.deals} deals set up and backfilled`);
    serve = await startCloseloop('serve', { ...env, LOG_LEVEL: 'warn' });
    await throttle(sandbox, options.latencyMs, options.requestsPer10s);
    const config = loadConfig(env);
    const settle = () =>
      waitUntilSettled({
        redis,
        config,
        portal: portal.portalId,
        webhooksPending: () => sandbox.stats().webhooks.pending,
        timeoutMs: 300_000,
      });
    const bench: Bench = { sandbox, redis, prefix, serve, env, settle };
    const runs = await runAll(bench, options, portal.leadIds, progress);
    return { runs, contacts: portal.contacts, deals: portal.deals, loadAverage };
  } finally {
    await serve?.stop();
    await sandbox.close();
    redis.disconnect();
    await deleteKeys(REDIS_URL, prefix);
  }
}

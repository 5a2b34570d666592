import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitUntilSettled } from '../../src/commands/settled.ts';
import { loadConfig } from '../../src/config.ts';
import { chunk } from '../../src/hubspot/crm.ts';
import { connectRedis, waitForRedis } from '../../src/redis.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { freePort } from '../support/private-redis.ts';
import { deleteKeys } from '../support/redis.ts';
import { sandboxCalls } from '../support/sandbox-calls.ts';
import { type CloseloopProcess, startCloseloop } from './closeloop-process.ts';
import { seedAndBackfill, spread, throttle } from './work-scaling-portal.ts';
import { callFigures, closeloopCalls, type ScalingRun } from './work-scaling-report.ts';

/**
 * How `closeloop work` scales out: one sandbox portal with HubSpot's latency and a Professional
 * app's 10-second limit, one `serve` receiving its signed webhooks, and 1, 2 or 4 real `work`
 * processes on one Redis, timed on a burst of contact updates until everything is written back.
 */
const TOKEN = 'bench-access-token';
const SECRET = 'bench-client-secret';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DRIVER_CALL = 'POST /crm/v3/objects/contacts/batch/update';

export interface ScalingOptions {
  /** Contact updates per burst. */
  readonly changes: number;
  readonly processes: readonly number[];
  readonly repetitions: number;
  readonly latencyMs: number;
  /** The app's limit per rolling 10 s (HUBSPOT_REQUESTS_PER_10S; closeloop uses 80 % of it). */
  readonly requestsPer10s: number;
}

export interface ScalingResult {
  readonly runs: ScalingRun[];
  readonly contacts: number;
  readonly deals: number;
  /** The machine's 1-minute load average when the benchmark started (other work shows in the numbers). */
  readonly loadAverage: number;
}

interface Bench {
  readonly sandbox: RunningSandbox;
  readonly serve: CloseloopProcess;
  readonly env: Record<string, string>;
  readonly settle: () => Promise<void>;
  readonly ids: readonly string[];
}

/** Until no call has reached the sandbox for a whole window, so every run starts with the full budget. */
async function untilBudgetIsFresh(sandbox: RunningSandbox): Promise<void> {
  for (;;) {
    const last = (await sandboxCalls(sandbox.url)).reduce((latest, call) => Math.max(latest, call.at), 0);
    const wait = last + 10_000 + 100 - sandbox.clock.now();
    if (wait <= 0) return;
    await sleep(wait);
  }
}

/** The burst: every change through HubSpot's batch update, 100 per call, as an import or workflow makes them. */
async function sendChanges(bench: Bench, stage: string): Promise<number> {
  const batches = chunk(bench.ids, 100);
  await Promise.all(
    batches.map(async (ids) => {
      const response = await fetch(`${bench.sandbox.url}/crm/v3/objects/contacts/batch/update`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: ids.map((id) => ({ id, properties: { lifecyclestage: stage } })) }),
      });
      if (!response.ok) throw new Error(`batch update → ${response.status} ${await response.text()}`);
    }),
  );
  return batches.length;
}

/**
 * One measured burst (every lead to SQL) with `processes` work processes, then, unmeasured, the
 * same leads back, so every measured burst starts from the same portal and does the same work.
 */
async function measureRun(bench: Bench, processes: number): Promise<ScalingRun> {
  const workers = await Promise.all(
    Array.from({ length: processes }, () => startCloseloop('work', bench.env)),
  );
  try {
    await bench.settle();
    await untilBudgetIsFresh(bench.sandbox);
    const cpu = () => ({
      work: workers.reduce((sum, worker) => sum + worker.cpuSeconds(), 0),
      serve: bench.serve.cpuSeconds(),
      sandbox: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    });
    const before = cpu();
    const erroredBefore = bench.serve.erroredRequests();
    const from = bench.sandbox.clock.now();
    const driverCalls = await sendChanges(bench, 'salesqualifiedlead');
    const driverUntil = bench.sandbox.clock.now();
    await bench.settle();
    const to = bench.sandbox.clock.now();
    const after = cpu();
    const refusedDeliveries = bench.serve.erroredRequests() - erroredBefore;
    const window = { from, driverUntil, to, driverCall: DRIVER_CALL, driverCalls };
    const calls = closeloopCalls(await sandboxCalls(bench.sandbox.url), window);
    await sendChanges(bench, 'lead');
    await bench.settle();
    return {
      processes,
      seconds: (to - from) / 1000,
      ...callFigures(calls, from),
      refusedDeliveries,
      cpu: {
        work: after.work - before.work,
        serve: after.serve - before.serve,
        sandbox: after.sandbox - before.sandbox,
      },
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
  }
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

/** A first run not counted (it records the SQL entry dates later bursts only move), then the interleaved runs. */
async function runAll(bench: Bench, options: ScalingOptions, progress: (line: string) => void) {
  const schedule = [0, ...Array.from({ length: options.repetitions }, () => options.processes).flat()];
  const runs: ScalingRun[] = [];
  for (const count of schedule) {
    const run = await measureRun(bench, Math.max(count, 1));
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
    const ids = spread(portal.leadIds, options.changes);
    const runs = await runAll({ sandbox, serve, env, settle, ids }, options, progress);
    return { runs, contacts: portal.contacts, deals: portal.deals, loadAverage };
  } finally {
    await serve?.stop();
    await sandbox.close();
    redis.disconnect();
    await deleteKeys(REDIS_URL, prefix);
  }
}

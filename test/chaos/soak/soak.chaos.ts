import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { DELIVERY_JOB_OPTIONS } from '../../../src/queue.ts';
import { type ChaosStack, PREFIX, startStack } from '../harness/chaos-stack.ts';
import { jobCounts } from '../harness/job-counts.ts';
import { size } from '../scenario/mode.ts';
import { now, prepare } from '../scenario/scenario-run.ts';
import { STEADY_OPERATIONS } from '../workload/operations.ts';
import type { Workload } from '../workload/workload.ts';
import { measureMaxRate } from './max-rate.ts';
import { type SoakMinute, writeSoakResult } from './soak-result.ts';
import { perMinute, rssOf, sampleMemory, thirdsGrowth } from './soak-sampler.ts';

const MINUTES = 10;
const BURST = 1000;
const CHUNK_SECONDS = 10;
/**
 * Dedupe marks live this long (the default is an hour: a ten-minute soak would see nothing but
 * their growth). With it, and the event queue's completed-job cap reached, the warm-up ends in the
 * steady state that a long-running deployment is in.
 */
const DEDUPE_WINDOW_SECONDS = 120;
const WARMUP_MAX_MS = 8 * 60_000;
/**
 * Last third over first third. Redis holds a constant amount once the caps are reached (10 %:
 * allocator and hash-table resizing); a V8 heap breathes with its collector (25 %); latency on two
 * busy cores wobbles, a steady p99 stays within half again.
 */
const BOUNDS = { redis: 1.1, serveRss: 1.25, workRss: 1.25, p99Ack: 1.5 };

async function completedDeliveries(stack: ChaosStack): Promise<number> {
  const redis = new Redis(stack.redis.url, { maxRetriesPerRequest: 1 });
  try {
    return (await jobCounts(redis, PREFIX, ['events'], 'completed')).total;
  } finally {
    redis.disconnect();
  }
}

/** Runs the steady mix at `perSecond` until `done()` says so, ten seconds at a time. */
async function runUntil(workload: Workload, perSecond: number, done: () => Promise<boolean>) {
  while (!(await done()))
    await workload.run(
      Math.max(1, Math.round(perSecond * CHUNK_SECONDS)),
      perSecond,
      undefined,
      STEADY_OPERATIONS,
    );
}

/** Until the dedupe window has passed and the event queue keeps as many completed jobs as it may. */
async function warmUp(stack: ChaosStack, workload: Workload, perSecond: number): Promise<number> {
  const keep = DELIVERY_JOB_OPTIONS.removeOnComplete.count;
  const started = now();
  await runUntil(workload, perSecond, async () => {
    const elapsed = now() - started;
    if (elapsed > WARMUP_MAX_MS) return true;
    return elapsed > DEDUPE_WINDOW_SECONDS * 1000 && (await completedDeliveries(stack)) >= keep;
  });
  return (now() - started) / 1000;
}

/** The measured minutes: memory sampled every 5 s, acknowledgements from the proxy's record. */
async function soak(
  stack: ChaosStack,
  workload: Workload,
  perSecond: number,
  pids: { serve: number; work: number },
) {
  const sampler = sampleMemory(
    async () => ({
      redis: await stack.redis.usedMemory(),
      serveRss: rssOf(pids.serve),
      workRss: rssOf(pids.work),
    }),
    now,
    5000,
  );
  const start = now();
  await runUntil(workload, perSecond, async () => now() - start >= MINUTES * 60_000);
  await sampler.stop();
  return perMinute(start, MINUTES, sampler.samples, stack.proxy.deliveries);
}

function growthOf(minutes: readonly SoakMinute[]) {
  const growth = {
    redis: thirdsGrowth(minutes, (m) => m.redisMiB),
    serveRss: thirdsGrowth(minutes, (m) => m.serveRssMiB),
    workRss: thirdsGrowth(minutes, (m) => m.workRssMiB),
    p99Ack: thirdsGrowth(minutes, (m) => m.p99AckMs ?? Number.NaN),
  };
  const problems = Object.entries(growth)
    .filter(([name, value]) => !(value <= BOUNDS[name as keyof typeof BOUNDS]))
    .map(([name, value]) => `${name} grew ${value.toFixed(2)}×`);
  return { growth, problems };
}

it(
  'soak: ten minutes at half the maximum processing rate',
  async () => {
    const stack = await startStack({
      env: { WEBHOOK_DEDUPE_WINDOW_SECONDS: String(DEDUPE_WINDOW_SECONDS) },
      // HubSpot sends events as they happen at a rate like this, rather than in big batches.
      sandbox: { webhookBatchMs: 0 },
    });
    try {
      const workload = await prepare(stack, 909);
      const serve = await stack.startServe();
      await stack.startWork();
      await stack.settle(size.settleMs);
      const max = await measureMaxRate(stack, workload, BURST, STEADY_OPERATIONS, size.settleMs);
      const perSecond = max.eventsPerSecond / 2 / max.eventsPerOperation;
      const warmupSeconds = await warmUp(stack, workload, perSecond);
      const pids = { serve: serve.cli.child.pid ?? 0, work: max.work.cli.child.pid ?? 0 };
      const minutes = await soak(stack, workload, perSecond, pids);
      await stack.settle(size.settleMs);
      const { growth, problems } = growthOf(minutes);
      const failedJobs = await stack.failedJobs();
      if (failedJobs > 0) problems.push(`${failedJobs} jobs failed`);
      const keep = DELIVERY_JOB_OPTIONS.removeOnComplete.count;
      writeSoakResult({
        maxEventsPerSecond: max.eventsPerSecond,
        eventsPerOperation: max.eventsPerOperation,
        operationsPerSecond: perSecond,
        warmupSeconds,
        durationSeconds: MINUTES * 60,
        minutes,
        growth,
        bounds: BOUNDS,
        failedJobs,
        settings: [
          `WEBHOOK_DEDUPE_WINDOW_SECONDS=${DEDUPE_WINDOW_SECONDS}`,
          `completed deliveries kept: ${keep} (held at the end: ${await completedDeliveries(stack)})`,
        ],
        problems,
        finishedAt: new Date().toISOString(),
      });
      expect(problems).toEqual([]);
    } finally {
      await stack.stop();
    }
  },
  45 * 60_000,
);

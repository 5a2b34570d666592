import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { sandboxCalls } from '../support/sandbox-calls.ts';
import { byTemplate, callsBetween } from './call-counts.ts';
import type { CloseloopProcess } from './closeloop-process.ts';
import { jobsLeft, pollUntil } from './noop-worker-process.ts';
import { asJobs, batchUpdate, burstDeliveries, type ChangedRecord } from './portal-changes.ts';
import type { SeededPortal } from './work-scaling-portal.ts';

/** The sandbox's access token, for the changes made before each burst. */
const TOKEN = 'bench-access-token';

export interface ProcessingOptions {
  readonly events: number;
  readonly perDelivery: number;
  readonly repetitions: number;
}

export interface ProcessingRun {
  readonly system: 'closeloop' | 'bullmq-noop';
  /** From the first job added until the last event is applied (closeloop) or the queue is drained. */
  readonly seconds: number;
  /** Until every delivery job was taken and done (closeloop: its events noted for sync). */
  readonly deliveredSeconds: number;
  /** closeloop: until everything is also scored and written back (its jobs' delays included). */
  readonly settledSeconds: number;
  /** closeloop's HubSpot calls per template from the burst until settled. */
  readonly calls: Readonly<Record<string, number>>;
  /** CPU seconds of the consuming process until the events were applied / the queue drained. */
  readonly cpuSeconds: number;
}

export interface Bench {
  readonly sandbox: RunningSandbox;
  readonly redis: Redis;
  readonly portal: SeededPortal;
  readonly records: readonly ChangedRecord[];
  readonly work: CloseloopProcess;
  readonly noop: { readonly queue: Queue; readonly cpuSeconds: () => number };
  readonly queues: { readonly events: Queue; readonly sync: Queue };
  readonly pendingKeys: readonly string[];
  readonly settle: () => Promise<void>;
}

/** Changes every record the burst names in HubSpot first, so each event has something to apply. */
async function changeRecords(bench: Bench, rep: number): Promise<void> {
  const stage = rep % 2 === 0 ? 'marketingqualifiedlead' : 'lead';
  const amount = rep % 2 === 0 ? '5100' : '5000';
  await batchUpdate(
    bench.sandbox.url,
    TOKEN,
    'contacts',
    new Map(bench.portal.leadIds.map((id) => [id, { lifecyclestage: stage }])),
  );
  await batchUpdate(
    bench.sandbox.url,
    TOKEN,
    'deals',
    new Map(bench.portal.openDealIds.map((id) => [id, { amount }])),
  );
}

async function closeloopRun(bench: Bench, options: ProcessingOptions, rep: number): Promise<ProcessingRun> {
  await changeRecords(bench, rep);
  const at = bench.sandbox.clock.now();
  const jobs = asJobs(
    burstDeliveries(bench.records, { ...options, portal: bench.portal.portalId, at, seed: rep + 1 }),
  );
  const cpuBefore = bench.work.cpuSeconds();
  const started = performance.now();
  let deliveredSeconds = Number.NaN;
  await bench.queues.events.addBulk(jobs);
  await pollUntil(async () => {
    if ((await jobsLeft(bench.queues.events)) > 0) return false;
    if (Number.isNaN(deliveredSeconds)) deliveredSeconds = (performance.now() - started) / 1000;
    if ((await jobsLeft(bench.queues.sync)) > 0) return false;
    const pending = await Promise.all(bench.pendingKeys.map((key) => bench.redis.scard(key)));
    return pending.every((size) => size === 0);
  });
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = bench.work.cpuSeconds() - cpuBefore;
  await bench.settle();
  const settledSeconds = (performance.now() - started) / 1000;
  const calls = byTemplate(
    callsBetween(await sandboxCalls(bench.sandbox.url), at, bench.sandbox.clock.now()),
  );
  return { system: 'closeloop', seconds, deliveredSeconds, settledSeconds, calls, cpuSeconds };
}

async function noopRun(bench: Bench, options: ProcessingOptions, rep: number): Promise<ProcessingRun> {
  const at = bench.sandbox.clock.now();
  const jobs = asJobs(
    burstDeliveries(bench.records, { ...options, portal: bench.portal.portalId, at, seed: rep + 1 }),
  );
  const cpuBefore = bench.noop.cpuSeconds();
  const started = performance.now();
  await bench.noop.queue.addBulk(jobs);
  await pollUntil(async () => (await jobsLeft(bench.noop.queue)) === 0);
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = bench.noop.cpuSeconds() - cpuBefore;
  return {
    system: 'bullmq-noop',
    seconds,
    deliveredSeconds: seconds,
    settledSeconds: seconds,
    calls: {},
    cpuSeconds,
  };
}

/** One uncounted warm-up of each, then the repetitions, closeloop and the no-op worker in turn. */
export async function runAll(bench: Bench, options: ProcessingOptions, progress: (line: string) => void) {
  const runs: ProcessingRun[] = [];
  for (let rep = 0; rep <= options.repetitions; rep++) {
    for (const run of [closeloopRun, noopRun]) {
      const result = await run(bench, options, rep);
      progress(
        `processing: ${rep === 0 ? 'warm-up, ' : ''}${result.system}: ${result.seconds.toFixed(2)} s, ${(options.events / result.seconds).toFixed(0)} events/s`,
      );
      if (rep > 0) runs.push(result);
    }
  }
  return runs;
}

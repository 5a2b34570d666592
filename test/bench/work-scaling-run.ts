import type { Redis } from 'ioredis';
import { chunk } from '../../src/hubspot/crm.ts';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { sandboxCalls } from '../support/sandbox-calls.ts';
import { type Refill, refillBudget } from './budget-refill.ts';
import { type CloseloopProcess, startCloseloop } from './closeloop-process.ts';
import { callFigures, closeloopCalls, type ScalingRun } from './work-scaling-report.ts';

const TOKEN = 'bench-access-token';
const DRIVER_CALL = 'POST /crm/v3/objects/contacts/batch/update';

export interface Bench {
  readonly sandbox: RunningSandbox;
  readonly redis: Redis;
  /** closeloop's REDIS_PREFIX (its rate budget lives there). */
  readonly prefix: string;
  readonly serve: CloseloopProcess;
  readonly env: Record<string, string>;
  readonly settle: () => Promise<void>;
}

/** One burst: the leads it moves, whether they go back after it, how it gets a full budget. */
export interface Burst {
  readonly ids: readonly string[];
  readonly moveBack: boolean;
  readonly refill: Refill;
  /** closeloop called HubSpot within the last window (so its budget must hold calls). */
  readonly calledLately: boolean;
}

/** The burst: every change through HubSpot's batch update, 100 per call, as an import or workflow makes them. */
async function sendChanges(bench: Bench, ids: readonly string[], stage: string): Promise<number> {
  const batches = chunk(ids, 100);
  await Promise.all(
    batches.map(async (batch) => {
      const response = await fetch(`${bench.sandbox.url}/crm/v3/objects/contacts/batch/update`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: batch.map((id) => ({ id, properties: { lifecyclestage: stage } })) }),
      });
      if (!response.ok) throw new Error(`batch update → ${response.status} ${await response.text()}`);
    }),
  );
  return batches.length;
}

/** CPU seconds so far: the work processes, `serve`, and this process (the sandbox runs in it). */
function cpuOf(bench: Bench, workers: readonly CloseloopProcess[]) {
  const own = process.cpuUsage();
  return {
    work: workers.reduce((sum, worker) => sum + worker.cpuSeconds(), 0),
    serve: bench.serve.cpuSeconds(),
    sandbox: (own.user + own.system) / 1e6,
  };
}

/** Every lead of the burst to SQL, timed from the first update sent until settled. */
async function timedBurst(bench: Bench, burst: Burst, workers: readonly CloseloopProcess[]) {
  const before = cpuOf(bench, workers);
  const erroredBefore = bench.serve.erroredRequests();
  const from = bench.sandbox.clock.now();
  const driverCalls = await sendChanges(bench, burst.ids, 'salesqualifiedlead');
  const driverUntil = bench.sandbox.clock.now();
  await bench.settle();
  const to = bench.sandbox.clock.now();
  const after = cpuOf(bench, workers);
  const refusedDeliveries = bench.serve.erroredRequests() - erroredBefore;
  const window = { from, driverUntil, to, driverCall: DRIVER_CALL, driverCalls };
  const calls = closeloopCalls(await sandboxCalls(bench.sandbox.url), window);
  const cpu = {
    work: after.work - before.work,
    serve: after.serve - before.serve,
    sandbox: after.sandbox - before.sandbox,
  };
  return { seconds: (to - from) / 1000, ...callFigures(calls, from), refusedDeliveries, cpu };
}

/**
 * One measured burst with `processes` work processes, started afresh; then, unmeasured and when
 * asked, the same leads back to `lead`, so the next burst starts from the same portal.
 */
export async function measureRun(bench: Bench, processes: number, burst: Burst): Promise<ScalingRun> {
  const workers = await Promise.all(
    Array.from({ length: processes }, () => startCloseloop('work', bench.env)),
  );
  try {
    await bench.settle();
    await refillBudget(burst.refill, bench, burst.calledLately);
    const measured = await timedBurst(bench, burst, workers);
    if (burst.moveBack) {
      await sendChanges(bench, burst.ids, 'lead');
      await bench.settle();
    }
    return { processes, ...measured };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
  }
}

import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Queue } from 'bullmq';
import { QUEUE_NAMES } from '../../src/queue.ts';

const NOOP_WORKER = fileURLToPath(new URL('./noop-worker.ts', import.meta.url));
/** closeloop's webhook-delivery workers per process (`jobs/worker.ts`); the no-op worker gets as many. */
export const DELIVERY_CONCURRENCY = 8;

/** BullMQ's ceiling as a child process (`noop-worker.ts`), once its Worker is connected. */
export async function startNoopWorker(
  redisUrl: string,
  prefix: string,
): Promise<{ child: ChildProcess; pid: number }> {
  const child = spawn(
    process.execPath,
    [NOOP_WORKER, redisUrl, prefix, QUEUE_NAMES.events, String(DELIVERY_CONCURRENCY)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout as NonNullable<ChildProcess['stdout']> });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the no-op worker exited with ${code}`)));
    lines.on('line', (line) => line === 'ready' && resolve());
  });
  if (child.pid === undefined) throw new Error('the no-op worker did not start');
  return { child, pid: child.pid };
}

/** Jobs a queue still has to run: waiting, running or delayed. */
export async function jobsLeft(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/** Polls every 20 ms until `done`; the poll is the resolution of the timing. */
export async function pollUntil(done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 600_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('the burst was not processed in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

import type { ChaosStack, StackProcess } from '../harness/chaos-stack.ts';
import { sleep } from '../harness/timing.ts';
import type { STEADY_OPERATIONS } from '../workload/operations.ts';
import type { Workload } from '../workload/workload.ts';

const now = () => performance.timeOrigin + performance.now();

export interface MaxRate {
  /** Events one `work` process handled per second, draining a backlog. */
  readonly eventsPerSecond: number;
  readonly eventsPerOperation: number;
  /** The `work` process started for the measurement (the others were stopped). */
  readonly work: StackProcess;
}

/**
 * The most a single `work` processes: with every `work` stopped, a burst of changes piles up in
 * the queue (`serve` acknowledges them as usual); a new `work` then drains it, timed to settled.
 */
export async function measureMaxRate(
  stack: ChaosStack,
  workload: Workload,
  operations: number,
  mix: typeof STEADY_OPERATIONS,
  settleMs: number,
): Promise<MaxRate> {
  for (const { cli } of stack.processes.filter((p) => p.cli.running() && p.url !== stack.serveUrl)) {
    cli.child.kill('SIGTERM');
    await cli.exited;
  }
  const first = stack.proxy.deliveries.length;
  await workload.run(operations, 10_000, undefined, mix);
  while (stack.sandbox.stats().webhooks.pending + stack.proxy.inFlight() > 0) await sleep(100);
  const acked = stack.proxy.deliveries.slice(first).filter((d) => d.status >= 200 && d.status < 300);
  const events = acked.reduce((sum, d) => sum + d.events, 0);
  const work = await stack.startWork();
  const started = now();
  await stack.settle(settleMs);
  const seconds = (now() - started) / 1000;
  return { eventsPerSecond: events / seconds, eventsPerOperation: events / operations, work };
}

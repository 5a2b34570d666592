import { BUDGET_SHARE } from '../../src/hubspot/connect.ts';
import { busiestWindow, type SandboxCall } from '../support/sandbox-calls.ts';

/** One burst, processed by `processes` work processes, as measured. */
export interface ScalingRun {
  readonly processes: number;
  /** From the first change sent to `waitUntilSettled` resolving. */
  readonly seconds: number;
  /** From the first change sent to the arrival of closeloop's last HubSpot call. */
  readonly lastCallSeconds: number;
  /** closeloop's HubSpot calls for the burst (the driver's own left out). */
  readonly calls: number;
  /** The most of those calls in any rolling 10 s, as the sandbox's limiter counts them. */
  readonly busiest10s: number;
  /** Calls the sandbox answered 429. */
  readonly rejected: number;
  /** Webhook deliveries `serve` refused (e.g. 503 when Redis was slow), which the sandbox then retried. */
  readonly refusedDeliveries: number;
  /** CPU seconds charged during the run: the work processes, `serve`, and the benchmark itself (sandbox). */
  readonly cpu: { readonly work: number; readonly serve: number; readonly sandbox: number };
}

export interface CallWindow {
  /** Sandbox clock when the first change was sent, when the last was answered, when work settled. */
  readonly from: number;
  readonly driverUntil: number;
  readonly to: number;
  /** The template of the driver's calls and how many it made. */
  readonly driverCall: string;
  readonly driverCalls: number;
}

/**
 * closeloop's calls of one run: the sandbox's log between the burst and settling, without the
 * driver's own batch updates (made before `driverUntil`, when closeloop cannot have written back
 * yet; if the counts disagree the two cannot be told apart and the run is refused).
 */
export function closeloopCalls(log: readonly SandboxCall[], window: CallWindow): SandboxCall[] {
  const during = log.filter((call) => call.at >= window.from && call.at <= window.to);
  const isDriver = (call: SandboxCall) => call.call === window.driverCall && call.at <= window.driverUntil;
  const driver = during.filter(isDriver).length;
  if (driver !== window.driverCalls)
    throw new Error(`expected ${window.driverCalls} driver calls in the log, found ${driver}`);
  return during.filter((call) => !isDriver(call));
}

/** The per-run figures that come from the call log. */
export function callFigures(calls: readonly SandboxCall[], from: number) {
  const last = calls.reduce((latest, call) => Math.max(latest, call.at), from);
  return {
    calls: calls.length,
    busiest10s: busiestWindow(
      calls.map((call) => call.at),
      10_000,
    ),
    rejected: calls.filter((call) => call.status === 429).length,
    lastCallSeconds: (last - from) / 1000,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export interface ScalingSummary {
  readonly processes: number;
  readonly seconds: readonly number[];
  readonly medianSeconds: number;
  readonly changesPerSecond: number;
  /** Throughput against one process's, medians against medians. */
  readonly speedup: number;
  readonly medianLastCallSeconds: number;
  readonly medianCalls: number;
  readonly medianBusiest10s: number;
  readonly rejected: number;
  readonly refusedDeliveries: number;
  /** CPU cores kept busy on average (CPU seconds over wall seconds), medians. */
  readonly workCores: number;
  readonly allCores: number;
}

export function summarize(runs: readonly ScalingRun[], changes: number): ScalingSummary[] {
  const counts = [...new Set(runs.map((run) => run.processes))].sort((a, b) => a - b);
  const perCount = counts.map((processes) => {
    const of = runs.filter((run) => run.processes === processes);
    const medianSeconds = median(of.map((run) => run.seconds));
    return {
      processes,
      seconds: of.map((run) => run.seconds),
      medianSeconds,
      changesPerSecond: changes / medianSeconds,
      medianLastCallSeconds: median(of.map((run) => run.lastCallSeconds)),
      medianCalls: median(of.map((run) => run.calls)),
      medianBusiest10s: median(of.map((run) => run.busiest10s)),
      rejected: of.reduce((sum, run) => sum + run.rejected, 0),
      refusedDeliveries: of.reduce((sum, run) => sum + run.refusedDeliveries, 0),
      workCores: median(of.map((run) => run.cpu.work / run.seconds)),
      allCores: median(of.map((run) => (run.cpu.work + run.cpu.serve + run.cpu.sandbox) / run.seconds)),
    };
  });
  const single = perCount.find((summary) => summary.processes === 1) ?? perCount[0];
  return perCount.map((summary) => ({
    ...summary,
    speedup: single ? summary.changesPerSecond / single.changesPerSecond : 1,
  }));
}

/** closeloop's own share of the app's 10-second limit, as it computes it. */
export function closeloopBudget(requestsPer10s: number): number {
  return Math.floor(requestsPer10s * BUDGET_SHARE);
}

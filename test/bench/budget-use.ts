import { busiestWindow } from '../support/sandbox-calls.ts';

const WINDOW_MS = 10_000;

export interface BudgetUse {
  /** Calls in each whole 10 s window from the first call, while calls went on after it (a backlog). */
  readonly fullWindows: readonly number[];
  /** Their mean over closeloop's budget per 10 s; undefined when the backlog lasted under one window. */
  readonly use: number | undefined;
  /** The most calls in any rolling 10 s, over the budget. */
  readonly busiestUse: number;
}

/**
 * How much of its rate budget a backlog used, from the arrival times of its calls: each whole
 * 10-second window from the first call that ends before the last one lies inside the backlog,
 * so the calls it holds are what closeloop could make there. The tail, when the backlog runs
 * dry, is left out.
 */
export function budgetUse(times: readonly number[], budget: number): BudgetUse {
  const sorted = [...times].sort((a, b) => a - b);
  const first = sorted[0];
  const last = sorted.at(-1);
  if (first === undefined || last === undefined) return { fullWindows: [], use: undefined, busiestUse: 0 };
  const whole = Math.floor((last - first) / WINDOW_MS);
  const fullWindows = Array.from(
    { length: whole },
    (_, index) =>
      sorted.filter((at) => at >= first + index * WINDOW_MS && at < first + (index + 1) * WINDOW_MS).length,
  );
  const use = whole === 0 ? undefined : fullWindows.reduce((sum, calls) => sum + calls, 0) / whole / budget;
  return { fullWindows, use, busiestUse: busiestWindow(sorted, WINDOW_MS) / budget };
}

/** Mean calls in flight: every call takes at least the added latency, so calls × latency ÷ time. */
export function inFlight(times: readonly number[], latencyMs: number): number {
  if (times.length < 2) return times.length;
  const span = Math.max(...times) - Math.min(...times) + latencyMs;
  return (times.length * latencyMs) / span;
}

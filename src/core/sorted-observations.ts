import type { Observation, Outcome } from './survival.ts';

/**
 * Observation times split by outcome — [censored, event, competing event] — each ascending. A fit
 * walks the three in time order, so sorting is three numeric typed-array sorts (no comparator,
 * no object per observation), and subsets that nest (leads that reached a stage) merge in O(n).
 */
export type SortedObservations = readonly [Float64Array, Float64Array, Float64Array];

export function assertObservation(time: number, outcome: number): asserts outcome is Outcome {
  if (!(Number.isFinite(time) && time >= 0)) {
    throw new RangeError(`survival time must be a finite number of days ≥ 0, got ${time}`);
  }
  if (outcome !== 0 && outcome !== 1 && outcome !== 2) {
    throw new RangeError(`outcome must be 0 (censored), 1 or 2, got ${String(outcome)}`);
  }
}

/** Gathers times by outcome into growing typed arrays; `sorted()` sorts and trims them. */
export function observationCollector() {
  const columns = [new Float64Array(64), new Float64Array(64), new Float64Array(64)];
  const lengths = [0, 0, 0];
  return {
    add(time: number, outcome: Outcome): void {
      assertObservation(time, outcome);
      let column = columns[outcome] as Float64Array;
      const length = lengths[outcome] as number;
      if (length === column.length) {
        const grown = new Float64Array(length * 2);
        grown.set(column);
        columns[outcome] = column = grown;
      }
      column[length] = time;
      lengths[outcome] = length + 1;
    },
    sorted(): SortedObservations {
      const [censored, won, lost] = columns.map((column, outcome) =>
        column.slice(0, lengths[outcome]).sort(),
      ) as [Float64Array, Float64Array, Float64Array];
      return [censored, won, lost];
    },
  };
}

export function sortObservations(observations: readonly Observation[]): SortedObservations {
  const collector = observationCollector();
  for (const { time, outcome } of observations) collector.add(time, outcome);
  return collector.sorted();
}

/** Merges the sorted stretches [from, middle) and [middle, to) of `source` into the same place in `target`. */
function mergeInto(
  source: Float64Array,
  target: Float64Array,
  from: number,
  middle: number,
  to: number,
): void {
  let i = from;
  let j = middle;
  let k = from;
  while (i < middle && j < to) {
    const x = source[i] as number;
    const y = source[j] as number;
    if (x <= y) {
      target[k++] = x;
      i++;
    } else {
      target[k++] = y;
      j++;
    }
  }
  target.set(i < middle ? source.subarray(i, middle) : source.subarray(j, to), k);
}

/**
 * The sorted runs as one sorted array: copied side by side, then neighbours merged in pairs,
 * level by level between two buffers (O(n log k) for k runs, two allocations in all).
 */
function mergeRuns(runs: readonly Float64Array[]): Float64Array {
  let source = new Float64Array(runs.reduce((total, run) => total + run.length, 0));
  let target = new Float64Array(source.length);
  let bounds = [0];
  for (const run of runs) {
    source.set(run, bounds.at(-1));
    bounds.push((bounds.at(-1) as number) + run.length);
  }
  while (bounds.length > 2) {
    const next = [0];
    for (let run = 0; run + 1 < bounds.length; run += 2) {
      const [from, middle] = [bounds[run] as number, bounds[run + 1] as number];
      const to = bounds[run + 2] ?? middle;
      mergeInto(source, target, from, middle, to);
      next.push(to);
    }
    [source, target] = [target, source];
    bounds = next;
  }
  return source;
}

/** The observations of both, still sorted by outcome. */
export function mergeObservations(a: SortedObservations, b: SortedObservations): SortedObservations {
  return mergeAllObservations([a, b]);
}

/** The observations of all, still sorted by outcome. */
export function mergeAllObservations(runs: readonly SortedObservations[]): SortedObservations {
  return [
    mergeRuns(runs.map((run) => run[0])),
    mergeRuns(runs.map((run) => run[1])),
    mergeRuns(runs.map((run) => run[2])),
  ];
}

/** How many times in an ascending array are below `value` (its lower bound): O(log n). */
export function countBelow(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The next event time (outcome 1 or 2) from `at` (the next index of each outcome, advanced past
 * it), or Infinity when none is left. `counts` receives how many censored observations come
 * before it (they leave the risk set first; those censored at it are still at risk at it) and
 * how many of each event happen at it.
 */
export function nextEventTime(sorted: SortedObservations, at: number[], counts: number[]): number {
  const [censored, won, lost] = sorted;
  const time = Math.min(
    at[1]! < won.length ? won[at[1]!]! : Number.POSITIVE_INFINITY,
    at[2]! < lost.length ? lost[at[2]!]! : Number.POSITIVE_INFINITY,
  );
  let skipped = at[0]!;
  while (skipped < censored.length && censored[skipped]! < time) skipped++;
  counts[0] = skipped - at[0]!;
  at[0] = skipped;
  for (let outcome = 1; outcome < 3; outcome++) {
    const column = sorted[outcome]!;
    let index = at[outcome]!;
    while (index < column.length && column[index] === time) index++;
    counts[outcome] = index - at[outcome]!;
    at[outcome] = index;
  }
  return time;
}

export function observationCount(sorted: SortedObservations): number {
  return sorted[0].length + sorted[1].length + sorted[2].length;
}

/** The longest time observed, 0 without observations. */
export function longestTime(sorted: SortedObservations): number {
  return Math.max(0, sorted[0].at(-1) ?? 0, sorted[1].at(-1) ?? 0, sorted[2].at(-1) ?? 0);
}

import { countOf } from './call-counts.ts';
import { closeloopBudget, median } from './work-scaling-report.ts';
import type { WriteBackOptions, WriteBackRun } from './write-back-run.ts';

/** Issue 8's bars for write-back. */
export const BARS = { callsPer1000: 10.5, budgetUse: 0.9, rejectedShare: 0.01 } as const;

export interface WriteBackSummary {
  readonly changed: number;
  readonly writeCalls: number;
  readonly allCalls: number;
  readonly writesPer1000: number;
  readonly allPer1000: number;
  readonly seconds: number;
  /** Median over runs of the mean calls per whole 10 s window ÷ budget (runs too short to have one left out). */
  readonly budgetUse: number | undefined;
  readonly busiestUse: number;
  readonly inFlight: number;
  readonly rejectedShare: number;
  /** Batch-update inputs of the bursts, and those that changed nothing in HubSpot (sums over runs). */
  readonly burstInputs: number;
  readonly burstUnchanged: number;
  /** Runs that had the replay and the re-run below (all, or the last only). */
  readonly idleRuns: number;
  readonly runs: number;
  /** The same events again, and statistics and scoring again: what they wrote (maxima over runs). */
  readonly replay: { readonly records: number; readonly writes: number; readonly reads: number };
  readonly rescoreCalls: number;
  /** Records those two sent whose values HubSpot already showed (sum over runs): the bar's waste. */
  readonly idleUnchanged: number;
  /** Records they sent at all: values that moved by themselves meanwhile (open leads age). */
  readonly idleInputs: number;
  readonly naive: {
    readonly records: number;
    readonly calls: number;
    readonly callsPer1000: number;
    readonly rejectedShare: number;
    readonly seconds: number;
  };
}

const m = (runs: readonly WriteBackRun[], pick: (run: WriteBackRun) => number) => median(runs.map(pick));
const changedOf = (run: WriteBackRun) => run.changed.contacts + run.changed.deals;
const total = (calls: Readonly<Record<string, number>>) => Object.values(calls).reduce((a, b) => a + b, 0);

export function summarizeWriteBack(runs: readonly WriteBackRun[]): WriteBackSummary {
  const uses = runs.flatMap((run) => (run.burst.use.use === undefined ? [] : [run.burst.use.use]));
  const allCalls = runs.reduce((sum, run) => sum + total(run.burst.calls), 0);
  const naiveCalls = runs.reduce((sum, run) => sum + run.naive.calls, 0);
  return {
    ...summarizeBursts(runs, uses, allCalls),
    ...summarizeIdle(runs),
    naive: summarizeNaive(runs, naiveCalls),
  };
}

function summarizeBursts(runs: readonly WriteBackRun[], uses: readonly number[], allCalls: number) {
  return {
    changed: m(runs, changedOf),
    writeCalls: m(runs, (run) => countOf(run.burst.calls, 'write')),
    allCalls: m(runs, (run) => total(run.burst.calls)),
    writesPer1000: m(runs, (run) => (countOf(run.burst.calls, 'write') * 1000) / changedOf(run)),
    allPer1000: m(runs, (run) => (total(run.burst.calls) * 1000) / changedOf(run)),
    seconds: m(runs, (run) => run.burst.seconds),
    budgetUse: uses.length > 0 ? median(uses) : undefined,
    busiestUse: m(runs, (run) => run.burst.use.busiestUse),
    inFlight: m(runs, (run) => run.burst.inFlight),
    rejectedShare: allCalls === 0 ? 0 : runs.reduce((sum, run) => sum + run.burst.rejected, 0) / allCalls,
    burstInputs: runs.reduce((sum, run) => sum + run.burst.inputs, 0),
    burstUnchanged: runs.reduce((sum, run) => sum + run.burst.unchanged, 0),
  };
}

/** The replay and the re-run with nothing changed, over the runs that had them. */
function summarizeIdle(all: readonly WriteBackRun[]) {
  const runs = all.filter((run) => !run.idleSkipped);
  return {
    idleRuns: runs.length,
    runs: all.length,
    replay: {
      records: m(runs, (run) => run.replay.records),
      writes: Math.max(...runs.map((run) => countOf(run.replay.calls, 'write'))),
      reads: m(runs, (run) => countOf(run.replay.calls, 'read')),
    },
    rescoreCalls: Math.max(...runs.map((run) => total(run.rescore.calls))),
    idleUnchanged: runs.reduce((sum, run) => sum + run.replay.unchanged + run.rescore.unchanged, 0),
    idleInputs: runs.reduce((sum, run) => sum + run.replay.inputs + run.rescore.inputs, 0),
  };
}

function summarizeNaive(runs: readonly WriteBackRun[], naiveCalls: number) {
  return {
    records: m(runs, (run) => run.naive.records),
    calls: m(runs, (run) => run.naive.calls),
    callsPer1000: m(runs, (run) => (run.naive.calls * 1000) / run.naive.records),
    rejectedShare: naiveCalls === 0 ? 0 : runs.reduce((sum, run) => sum + run.naive.rejected, 0) / naiveCalls,
    seconds: m(runs, (run) => run.naive.seconds),
  };
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const percent = (share: number) => `${fixed(100 * share)} %`;
const verdict = (met: boolean) => (met ? 'met' : '**missed**');

function comparison(s: WriteBackSummary): string[] {
  return [
    '| writer | records | HubSpot calls | calls per 1,000 records | 429 share | seconds | records/s |',
    '|---|---|---|---|---|---|---|',
    `| closeloop (batch update, budget) | ${s.changed.toLocaleString('en')} changed | ${s.writeCalls} writes, ${s.allCalls} in all | **${fixed(s.writesPer1000, 2)}** writes, ${fixed(s.allPer1000, 2)} in all | ${percent(s.rejectedShare)} | ${fixed(s.seconds)} | ${fixed(s.changed / s.seconds, 0)} |`,
    `| naive (PATCH per record, no budget) | ${s.naive.records} of them | ${s.naive.calls} | ${fixed(s.naive.callsPer1000, 0)} | ${percent(s.naive.rejectedShare)} | ${fixed(s.naive.seconds)} | ${fixed(s.naive.records / s.naive.seconds, 0)} |`,
  ];
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** What the runs with nothing changed sent: nothing, or values that moved by themselves meanwhile. */
function idleWrites(s: WriteBackSummary): string {
  if (s.idleInputs === 0) return 'Together they sent no record at all';
  return `Together, over all runs, they sent ${count(s.idleInputs, 'record')}, ${s.idleUnchanged} of them with values HubSpot already showed; the others' values had moved by themselves in the meantime (open leads age, so scores and curves do)`;
}

/** Each bar of issue 8 with the measured value and whether it was met. */
export function writeBackBars(s: WriteBackSummary, budget: number): string[] {
  const use = s.budgetUse;
  return [
    `HubSpot write calls per 1,000 changed records: ${fixed(s.writesPer1000, 2)} (bar ≤ ${BARS.callsPer1000}: ${verdict(s.writesPer1000 <= BARS.callsPer1000)}); the naive writer ${fixed(s.naive.callsPer1000, 0)}.`,
    `Calls when nothing visible changed${s.idleRuns < s.runs ? ` (measured after the last burst only)` : ''}: after the same events again for ${s.replay.records.toLocaleString('en')} records, at most ${count(s.replay.writes, 'write call')} per run (and ${count(s.replay.reads, 'read')}: events are hints, so sync re-reads); statistics and scoring run again, at most ${count(s.rescoreCalls, 'call')}. ${idleWrites(s)} (bar 0: ${verdict(s.idleUnchanged === 0)}). In the bursts, ${s.burstUnchanged} of the ${s.burstInputs.toLocaleString('en')} records sent changed nothing.`,
    use === undefined
      ? 'Use of the rate budget under a backlog: not measured, no burst lasted a whole 10 s window.'
      : `Use of the rate budget under a backlog: ${percent(use)} of closeloop's ${budget} calls per 10 s over the whole windows of the burst (bar ≥ ${percent(BARS.budgetUse)}: ${verdict(use >= BARS.budgetUse)}); ${fixed(s.inFlight, 2)} calls in flight on average. The busiest rolling 10 s of arrivals held ${percent(s.busiestUse)}: the budget counts a call when it takes its slot, HubSpot when it arrives, so calls sent together can land a few milliseconds inside the next window; the 20 % closeloop leaves of the app's limit absorbs that.`,
    `Share of 429s: ${percent(s.rejectedShare)} (bar ≤ ${percent(BARS.rejectedShare)}: ${verdict(s.rejectedShare <= BARS.rejectedShare)}); the naive writer ${percent(s.naive.rejectedShare)}.`,
  ];
}

type PortalFigures = {
  readonly contacts: number;
  readonly deals: number;
  readonly leads: number;
  readonly loadAverage: number;
};

/** The app's tier for a limit per rolling 10 s (HubSpot's: Starter 100, Professional 190). */
function tier(requestsPer10s: number): string {
  if (requestsPer10s === 190) return 'Professional';
  if (requestsPer10s === 100) return 'Starter';
  return "below any tier: this portal's burst is still a backlog past one window";
}

/** How the benchmark ran: the portal, each repetition, HubSpot's latency and limit, the naive writer. */
function settings(options: WriteBackOptions, portal: PortalFigures): string {
  const n = (value: number) => value.toLocaleString('en');
  const copies = options.copies === 1 ? 'the demo portal' : `the demo portal ${options.copies} times over`;
  const refill =
    options.refill === 'empty'
      ? "starts on a full budget (the sandbox's 10-second window and closeloop's budget window emptied, as 10 idle seconds would leave them, rather than waited for)"
      : 'waits for a full budget';
  const warmUp =
    options.warmUp === 'unthrottled'
      ? "one uncounted warm-up, whose burst alone ran at full speed as part of the preparation (the leads' first move to SQL, which records the entry dates later bursts only move)"
      : 'one uncounted warm-up';
  const limit = options.requestsPer10s;
  return `What closeloop's write-back costs in HubSpot calls, beside a naive writer. Portal: ${copies} (${n(portal.contacts)} contacts, ${n(portal.deals)} deals), set up, backfilled and written once. Each repetition moves all ${n(portal.leads)} leads one lifecycle stage (100 per batch update, back and forth between repetitions; these and the benchmark's own reads are made with latency and limit lifted), ${refill}, then delivers one webhook event per lead as \`serve\` enqueues them, to one real \`closeloop work\` process (HUBSPOT_CONCURRENCY default), timed until settled. Every HubSpot call ${options.latencyMs} ms slower, the app limited to ${limit} calls per rolling 10 s (${tier(limit)}) and closeloop run with \`HUBSPOT_REQUESTS_PER_10S=${limit}\` (a budget of ${closeloopBudget(limit)}). Records changed are counted from what HubSpot shows before and after (closeloop's visible properties read off every record). Then, on the same portal${options.idlePhases === 'last' ? ', after the last burst only' : ''}: the same events once more for ${n(options.replayRecords)} of the leads (nothing changed), and statistics and scoring run again with nothing changed. The naive writer writes ${options.naiveRecords} of the leads with the values closeloop gave them, one PATCH each, ${options.naiveConcurrency} at a time (the SDK's default concurrency), no budget, each 429 retried after 10 s × its attempt as the SDK's retry decorator does, on a twin sandbox with the same latency and limit (its own 10-second window). ${options.repetitions} repetitions after ${warmUp}; medians.`;
}

export function writeBackSection(
  options: WriteBackOptions,
  runs: readonly WriteBackRun[],
  portal: PortalFigures,
  machine: string,
): string {
  const summary = summarizeWriteBack(runs);
  const budget = closeloopBudget(options.requestsPer10s);
  return [
    '## Write-back',
    '',
    settings(options, portal),
    '',
    `Machine: ${machine} (1-minute load average ${fixed(portal.loadAverage, 2)} when the benchmark started).`,
    '',
    ...comparison(summary),
    '',
    ...writeBackBars(summary, budget).map((line) => `- ${line}`),
    '',
  ].join('\n');
}

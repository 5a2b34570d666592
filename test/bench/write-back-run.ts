import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { sandboxCalls } from '../support/sandbox-calls.ts';
import { type Refill, refillBudget } from './budget-refill.ts';
import { type BudgetUse, budgetUse, inFlight } from './budget-use.ts';
import { byTemplate, callsBetween } from './call-counts.ts';
import { type NaiveRun, type NaiveWrite, naiveWrite } from './naive-writer.ts';
import { asJobs, batchUpdate, burstDeliveries, type ChangedRecord } from './portal-changes.ts';
import { changedRecords, type RecordType, type Shown, shownValues, unthrottled } from './shown-values.ts';
import { closeloopBudget } from './work-scaling-report.ts';

export interface WriteBackOptions {
  /** Copies of the demo portal: enough leads that one burst is a backlog of several 10 s windows. */
  readonly copies: number;
  readonly repetitions: number;
  readonly latencyMs: number;
  readonly requestsPer10s: number;
  /** Records the naive writer writes each repetition (one call each: a sample, or it would take minutes). */
  readonly naiveRecords: number;
  readonly naiveConcurrency: number;
  /** Records whose events are delivered again, unchanged, after each burst. */
  readonly replayRecords: number;
  /**
   * The uncounted warm-up repetition (the leads' first move to SQL, which records the entry dates
   * later bursts only move): `throttled` like the measured ones, or its burst alone at full speed
   * as part of the preparation (`unthrottled`).
   */
  readonly warmUp: 'throttled' | 'unthrottled';
  /** How each burst gets a full rate budget. */
  readonly refill: Refill;
  /** The replay and the re-run with nothing changed: after `every` burst, or after the `last` only. */
  readonly idlePhases: 'every' | 'last';
}

/** One phase's closeloop calls per template, and what its batch updates did (the sandbox's count). */
export interface PhaseCalls {
  readonly calls: Readonly<Record<string, number>>;
  readonly rejected: number;
  readonly seconds: number;
  /** Records sent in batch updates, and those of them whose values HubSpot already showed. */
  readonly inputs: number;
  readonly unchanged: number;
}

export interface WriteBackRun {
  readonly burst: PhaseCalls & { readonly use: BudgetUse; readonly inFlight: number };
  /** Records whose visible values the burst changed, as HubSpot shows them. */
  readonly changed: Readonly<Record<RecordType, number>>;
  readonly replay: PhaseCalls & { readonly records: number };
  readonly rescore: PhaseCalls;
  /** Set when this repetition ran neither (`idlePhases: 'last'`): its `replay` and `rescore` are empty. */
  readonly idleSkipped?: boolean;
  readonly naive: NaiveRun;
}

export interface Bench {
  readonly sandbox: RunningSandbox;
  readonly redis: Redis;
  /** closeloop's REDIS_PREFIX (its rate budget lives there). */
  readonly prefix: string;
  /** The naive writer's own HubSpot: the same latency and limit, its own 10-second window. */
  readonly naiveSandbox: RunningSandbox;
  readonly token: string;
  readonly portal: number;
  readonly leadIds: readonly string[];
  readonly allIds: Readonly<Record<RecordType, readonly string[]>>;
  readonly events: Queue;
  readonly wakeStats: () => Promise<void>;
  readonly settle: () => Promise<void>;
  readonly throttle: Record<string, unknown>;
  shown: Shown;
}

/** Batch-update inputs the sandbox applied so far, and those that changed no value. */
function writeCounts(sandbox: RunningSandbox) {
  const counts = Object.values(sandbox.stats().writes);
  return {
    inputs: counts.reduce((sum, count) => sum + count.inputs, 0),
    unchanged: counts.reduce((sum, count) => sum + count.unchanged, 0),
  };
}

/** Runs `act` and settles; closeloop's calls from its start until settled. */
async function phase(bench: Bench, act: () => Promise<void>) {
  const from = bench.sandbox.clock.now();
  const before = writeCounts(bench.sandbox);
  await act();
  await bench.settle();
  const to = bench.sandbox.clock.now();
  const after = writeCounts(bench.sandbox);
  const calls = callsBetween(await sandboxCalls(bench.sandbox.url), from, to);
  const summary: PhaseCalls = {
    calls: byTemplate(calls),
    rejected: calls.filter((call) => call.status === 429).length,
    seconds: (to - from) / 1000,
    inputs: after.inputs - before.inputs,
    unchanged: after.unchanged - before.unchanged,
  };
  return { summary, times: calls.map((call) => call.at) };
}

function deliver(bench: Bench, records: readonly ChangedRecord[], seed: number) {
  const at = bench.sandbox.clock.now();
  const deliveries = burstDeliveries(records, {
    events: records.length,
    perDelivery: 100,
    portal: bench.portal,
    at,
    seed,
  });
  return async () => {
    await bench.events.addBulk(asJobs(deliveries));
  };
}

const leadRecords = (bench: Bench) => bench.leadIds.map((id) => ({ object: 'contact' as const, id }));

/** The warm-up burst at full speed (no latency, no limit; preparation): every lead's first move to SQL. */
export async function warmUpUnthrottled(bench: Bench): Promise<void> {
  await moveLeads(bench, 0);
  await deliver(bench, leadRecords(bench), 0)();
  await bench.settle();
}

/** The same events again for a sample of the leads, then statistics and scoring re-run: nothing changed. */
async function idlePhases(
  bench: Bench,
  records: readonly ChangedRecord[],
  replayRecords: number,
  rep: number,
) {
  const replayed = records.slice(0, replayRecords);
  const replay = await phase(bench, deliver(bench, replayed, rep + 1000));
  const rescore = await phase(bench, bench.wakeStats);
  return { replay: { ...replay.summary, records: replayed.length }, rescore: rescore.summary };
}

const NOT_RUN: PhaseCalls = { calls: {}, rejected: 0, seconds: 0, inputs: 0, unchanged: 0 };
const SKIPPED = { replay: { ...NOT_RUN, records: 0 }, rescore: NOT_RUN, idleSkipped: true } as const;

/** The naive writer's sample: leads, with the values closeloop last gave them. */
function naiveSample(bench: Bench, count: number): NaiveWrite[] {
  return bench.leadIds.slice(0, count).map((id) => ({
    type: 'contacts' as const,
    id,
    properties: bench.shown.get(`contacts/${id}`) ?? {},
  }));
}

/** Every lead one stage on (odd `rep`) or back: as an import would, 100 per batch update. */
export async function moveLeads(bench: Bench, rep: number): Promise<void> {
  const stage = rep % 2 === 0 ? 'salesqualifiedlead' : 'lead';
  const changes = new Map(bench.leadIds.map((id) => [id, { lifecyclestage: stage }]));
  await batchUpdate(bench.sandbox.url, bench.token, 'contacts', changes);
}

/**
 * One repetition, the leads already moved in HubSpot: the naive writer on its own sandbox (while
 * this one's window empties, if it is waited for), then on a full budget the burst's events delivered as `serve`
 * enqueues them, timed until settled; the same events again for a sample (nothing changed) and a
 * statistics and score run with nothing changed (unless they follow the last burst only). Last, with latency and limit lifted, a look at
 * what HubSpot shows and the leads moved for the next repetition.
 */
export async function writeBackRun(
  bench: Bench,
  options: WriteBackOptions,
  rep: number,
  turn: { readonly calledLately: boolean; readonly last: boolean },
): Promise<WriteBackRun> {
  const naiveWrites = naiveSample(bench, options.naiveRecords);
  const naive = await naiveWrite(bench.naiveSandbox.url, bench.token, naiveWrites, options.naiveConcurrency);
  await refillBudget(options.refill, bench, turn.calledLately);
  const records = leadRecords(bench);
  const burst = await phase(bench, deliver(bench, records, rep));
  const idle =
    options.idlePhases === 'every' || turn.last
      ? await idlePhases(bench, records, options.replayRecords, rep)
      : SKIPPED;
  const shown = await unthrottled(bench.sandbox, bench.throttle, async () => {
    const seen = await shownValues(bench.sandbox, bench.token, bench.allIds);
    await moveLeads(bench, rep + 1);
    return seen;
  });
  const changed = changedRecords(bench.shown, shown);
  bench.shown = shown;
  return {
    burst: {
      ...burst.summary,
      use: budgetUse(burst.times, closeloopBudget(options.requestsPer10s)),
      inFlight: inFlight(burst.times, options.latencyMs),
    },
    changed: { contacts: changed.contacts.length, deals: changed.deals.length },
    ...idle,
    naive,
  };
}

import { type PrivateRedis, startPrivateRedis } from '../../support/private-redis.ts';
import { cleanRebuild } from '../checks/clean-rebuild.ts';
import { type ChaosStack, type StackOptions, type StackProcess, startStack } from '../harness/chaos-stack.ts';
import type { Delivery } from '../harness/webhook-proxy.ts';
import { createWorkload, seedPortal, type Workload } from '../workload/workload.ts';
import { mode, size } from './mode.ts';
import { duplicatedWrites, type Lost, measureLost, oracleMismatches } from './scenario-checks.ts';
import { writeResult } from './scenario-result.ts';

export interface ScenarioRun {
  readonly stack: ChaosStack;
  readonly workload: Workload;
  serve: StackProcess;
  readonly works: StackProcess[];
  /** Deliveries since the live workload began. */
  live(): Delivery[];
  /** Runs the scenario's live operations; `at(i)` before operation i (mid-stream faults). */
  operate(at?: (index: number) => Promise<void> | void, count?: number): Promise<void>;
  /** Waits until settled; returns when, in epoch ms. */
  settle(): Promise<number>;
  /**
   * Waits until settled; returns the recovery time: from the fault's end (epoch ms), or from the
   * last operation if the workload went on after it, to settled.
   */
  recover(faultEnd: number): Promise<number>;
  /** Counts what acknowledged events failed to bring about; call before any repair. */
  measureLost(): Promise<Lost>;
  /** Projection entries that differ from a rebuild from HubSpot now (nothing is recorded). */
  outOfStep(): Promise<number>;
  readonly notes: string[];
  /** Something that fails the scenario (its result is still written). */
  readonly problems: string[];
}

export interface ScenarioOutcome {
  /** From the end of the fault to settled (null: no fault end). */
  readonly recoveryMs: number | null;
  /** The body judged the lost records itself (a loss window it allows); otherwise any fails. */
  readonly lossJudged?: boolean;
}

export interface ScenarioDefinition extends StackOptions {
  readonly name: string;
  readonly order: number;
  readonly seed: number;
  readonly body: (run: ScenarioRun) => Promise<ScenarioOutcome>;
}

/** Epoch ms with sub-millisecond resolution, comparable with the proxy's timestamps. */
export const now = () => performance.timeOrigin + performance.now();

/** A portal of `size.leads` leads, closeloop set up and backfilled over it. */
export async function prepare(stack: ChaosStack, seed: number): Promise<Workload> {
  const workload = createWorkload(stack.client, seed, stack.sandbox.clock.now());
  await seedPortal(stack.client, workload.ctx.model, workload.ctx.random, size.leads);
  await stack.cli(['setup']);
  await stack.cli(['backfill']);
  return workload;
}

function createRun(
  stack: ChaosStack,
  workload: Workload,
  serve: StackProcess,
  work: StackProcess,
  scratch: PrivateRedis,
) {
  const first = stack.proxy.deliveries.length;
  let lost: Lost | undefined;
  let operatedUntil = 0;
  const run: ScenarioRun & { lost: () => Lost | undefined } = {
    stack,
    workload,
    serve,
    works: [work],
    live: () => stack.proxy.deliveries.slice(first),
    async operate(at, count = size.operations) {
      await workload.run(count, size.perSecond, at);
      operatedUntil = now();
    },
    async settle() {
      await stack.settle(size.settleMs);
      return now();
    },
    async recover(faultEnd) {
      const settled = await run.settle();
      return settled - Math.max(faultEnd, operatedUntil);
    },
    async measureLost() {
      lost = await measureLost(stack, scratch.url, run.live());
      return lost;
    },
    outOfStep: async () => (await measureLost(stack, scratch.url, [])).outOfStep,
    lost: () => lost,
    notes: [],
    problems: [],
  };
  return run;
}

async function stopWorks(run: ScenarioRun): Promise<void> {
  for (const { cli } of run.works) {
    if (!cli.running()) continue;
    cli.child.kill('SIGTERM');
    const code = await cli.exited;
    if (code !== 0) run.problems.push(`work exited ${code} on SIGTERM:\n${cli.output()}`);
  }
}

/** After the body: failed jobs, lost events, the oracle, then the clean rebuild. */
async function check(
  run: ScenarioRun & { lost: () => Lost | undefined },
  outcome: ScenarioOutcome,
  writesBefore: number,
) {
  const { stack, problems, notes } = run;
  const failed = await stack.failedJobs();
  if (failed > 0) problems.push(`${failed} jobs failed`);
  const lost = run.lost() ?? (await run.measureLost());
  if (lost.records.length > 0 && !outcome.lossJudged)
    problems.push(`lost: ${lost.records.slice(0, 10).join(', ')}\n${lost.detail}`);
  const duplicates = duplicatedWrites(stack.sandbox.stats().writes) - writesBefore;
  const oracle = await oracleMismatches(stack);
  notes.push(oracle.summary);
  if (oracle.mismatches.length > 0) problems.push(`oracle: ${oracle.mismatches.slice(0, 20).join('\n')}`);
  await stopWorks(run);
  const clean = await cleanRebuild(stack);
  if (clean.values.length + clean.campaigns.length + clean.projection > 0)
    problems.push(
      `clean rebuild differs: ${clean.values.length} records, ${clean.campaigns.length} campaigns, ${clean.projection} projection entries\n${clean.detail}`,
    );
  return { lost: lost.records.length, duplicates };
}

function eventsSent(deliveries: readonly Delivery[]): number {
  return deliveries.reduce((sum, delivery) => sum + delivery.events, 0);
}

/** One scenario from an empty world to its result file; every process and Redis is gone afterwards. */
export async function runScenario(definition: ScenarioDefinition): Promise<string[]> {
  const stack = await startStack(definition);
  const scratch = await startPrivateRedis().catch(async (error: unknown) => {
    await stack.stop();
    throw error;
  });
  try {
    const workload = await prepare(stack, definition.seed);
    const serve = await stack.startServe();
    const work = await stack.startWork();
    await stack.settle(size.settleMs);
    const writesBefore = duplicatedWrites(stack.sandbox.stats().writes);
    const run = createRun(stack, workload, serve, work, scratch);
    const outcome = await definition.body(run);
    const checked = await check(run, outcome, writesBefore);
    writeResult({
      order: definition.order,
      scenario: definition.name,
      mode,
      operations: Object.values(workload.done).reduce((sum, n) => sum + n, 0),
      eventsSent: eventsSent(run.live()),
      lost: checked.lost,
      duplicatedWrites: checked.duplicates,
      recoveryMs: outcome.recoveryMs === null ? null : Math.round(outcome.recoveryMs),
      notes: [...run.notes, ...run.problems.map((problem) => `FAILED: ${problem.split('\n')[0]}`)],
      finishedAt: new Date().toISOString(),
    });
    return run.problems;
  } finally {
    await stack.stop();
    await scratch.stop();
  }
}

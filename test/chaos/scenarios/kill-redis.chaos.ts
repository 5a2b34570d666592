import { describe } from 'vitest';
import { type AofHistory, recordAofHistory } from '../harness/aof-history.ts';
import { reconcileUntilQuiet } from '../harness/reconcile-rounds.ts';
import { sleep } from '../harness/timing.ts';
import { chaosScenario } from '../scenario/chaos-scenario.ts';
import { size } from '../scenario/mode.ts';
import { now, type ScenarioRun } from '../scenario/scenario-run.ts';

/** How long Redis stays down after each kill. */
const DOWN_MS = 1000;
/** What `appendfsync everysec` may lose in a host crash: writes not yet fsynced. */
const EVERYSEC_MS = 1000;

interface Crash {
  at: number;
  /** What the AOF kept: everything Redis wrote before this moment (epoch ms). */
  keptUntil: number;
  restarted: number;
  droppedBytes: number;
}

/**
 * Kills Redis at the middle of `count` operations and restarts it on the same port and directory
 * a second later, while the portal goes on changing. With `hostCrash`, the AOF is first cut back to
 * its size one second before the kill: the worst `everysec` allows when the machine itself dies.
 */
async function operateThroughCrash(run: ScenarioRun, count: number, aof: AofHistory, hostCrash: boolean) {
  const crash: Crash = { at: 0, keptUntil: 0, restarted: 0, droppedBytes: 0 };
  let restarting: Promise<void> = Promise.resolve();
  await run.operate(async (index) => {
    if (index !== Math.floor(count / 2)) return;
    const { redis } = run.stack;
    crash.at = now();
    crash.keptUntil = crash.at;
    await redis.kill9();
    if (hostCrash) {
      const kept = aof.sampleBefore(crash.at - EVERYSEC_MS);
      crash.keptUntil = kept.at;
      crash.droppedBytes = redis.aofTailSize() - kept.size;
      redis.truncateAofTail(kept.size);
    }
    restarting = sleep(DOWN_MS).then(async () => {
      await redis.restart();
      crash.restarted = now();
    });
  }, count);
  await restarting;
  return crash;
}

function acknowledgedBetween(run: ScenarioRun, from: number, to: number) {
  const acked = run.live().filter((d) => d.status >= 200 && d.status < 300);
  const inside = acked.filter((d) => d.answeredAt > from && d.answeredAt <= to);
  return { deliveries: inside.length, events: inside.reduce((sum, d) => sum + d.events, 0) };
}

/** A kill -9 of the process alone: the kernel keeps what Redis wrote, so nothing may be lost. */
async function processCrash(run: ScenarioRun, aof: AofHistory, count: number): Promise<void> {
  await operateThroughCrash(run, count, aof, false);
  await run.settle();
  const lost = await run.measureLost();
  run.notes.push(`kill -9 alone: ${lost.records.length} records lost (the kernel keeps what Redis wrote)`);
  if (lost.records.length > 0) run.problems.push(`kill -9 alone lost ${lost.records.join(', ')}`);
}

/**
 * The machine dies with Redis: what the AOF kept ends a second before the kill. Every lost entry
 * must be explained by an event acknowledged after that point (and before the restart).
 */
async function hostCrash(run: ScenarioRun, aof: AofHistory, count: number): Promise<number> {
  const crash = await operateThroughCrash(run, count, aof, true);
  const recoveryMs = await run.recover(crash.restarted);
  const lost = await run.measureLost();
  const inWindow = (at: number) => at > crash.keptUntil && at < crash.restarted;
  const explained = (id: string) => (lost.acks.get(id) ?? []).filter(inWindow);
  const early = lost.records.filter((id) => explained(id).length === 0);
  const ages = lost.records.flatMap((id) => {
    const acks = explained(id);
    return acks.length > 0 ? [Math.max(0, crash.at - Math.max(...acks))] : [];
  });
  const window = acknowledgedBetween(run, crash.keptUntil, crash.at);
  const range =
    ages.length > 0 ? `${Math.round(Math.min(...ages))}–${Math.round(Math.max(...ages))} ms` : '—';
  run.notes.push(
    `host crash: the AOF lost its last ${Math.round(crash.at - crash.keptUntil)} ms (${crash.droppedBytes} bytes), in which ${window.events} events in ${window.deliveries} deliveries were acknowledged; ${lost.records.length} records lost, last acknowledged ${range} before the kill; ${early.length} acknowledged before the cut`,
  );
  if (early.length > 0)
    run.problems.push(`lost events acknowledged before the AOF's cut: ${early.join(', ')}`);
  return recoveryMs;
}

async function killRedis(run: ScenarioRun) {
  const aof = recordAofHistory(run.stack.redis, now);
  try {
    const half = Math.floor(size.operations / 2);
    await processCrash(run, aof, half);
    const recoveryMs = await hostCrash(run, aof, half);
    const started = now();
    const repair = await reconcileUntilQuiet(run.stack, () => run.settle());
    run.notes.push(`${repair.summary}, in ${((now() - started) / 1000).toFixed(1)} s`);
    return { recoveryMs, lossJudged: true };
  } finally {
    aof.stop();
  }
}

describe('kill -9 of Redis (AOF everysec) mid-stream, restarted on the same port and directory', () => {
  chaosScenario({ name: 'kill -9 of Redis', order: 4, seed: 404, body: killRedis });
});

import { Redis } from 'ioredis';
import { describe } from 'vitest';
import { QUEUE_NAMES } from '../../../src/queue.ts';
import { PREFIX } from '../harness/chaos-stack.ts';
import { jobCounts } from '../harness/job-counts.ts';
import { sleep } from '../harness/timing.ts';
import { chaosScenario } from '../scenario/chaos-scenario.ts';
import { mode, size } from '../scenario/mode.ts';
import { now, type ScenarioRun } from '../scenario/scenario-run.ts';

/** How long the portal goes on changing with no worker at all. */
const DOWN_MS = 2000;

/** The jobs running, by queue (`sync 1, writeback 1`, or `none`). */
async function activeJobs(run: ScenarioRun): Promise<string> {
  const redis = new Redis(run.stack.redis.url, { maxRetriesPerRequest: 1 });
  try {
    const { byQueue } = await jobCounts(redis, PREFIX, Object.values(QUEUE_NAMES), 'active');
    const running = Object.entries(byQueue).map(([queue, count]) => `${queue} ${count}`);
    return running.length > 0 ? running.join(', ') : 'none';
  } finally {
    redis.disconnect();
  }
}

/** Waits (up to 3 s) for a moment when a job runs, so the kill cuts one off; says which ran. */
async function busyMoment(run: ScenarioRun): Promise<string> {
  for (let tries = 0; tries < 300; tries++) {
    const running = await activeJobs(run);
    if (running !== 'none') return running;
    await sleep(10);
  }
  return 'none';
}

/**
 * SIGKILL of the only `work` process while jobs run (no shutdown, no lock released), and a new
 * one a moment later: BullMQ's stalled-job check hands the cut-off jobs to it, and every event
 * is still applied, with no job failed.
 */
async function killWork(run: ScenarioRun) {
  const kills = mode === 'quick' ? 1 : 3;
  const at = new Set(
    Array.from({ length: kills }, (_, i) => Math.floor(((i + 1) * size.operations) / (kills + 1))),
  );
  let restarted = 0;
  let restarting: Promise<void> = Promise.resolve();
  const active: string[] = [];
  await run.operate(async (index) => {
    if (!at.has(index)) return;
    await restarting;
    const victim = run.works.find(({ cli }) => cli.running());
    if (!victim) throw new Error('no work process to kill');
    active.push(await busyMoment(run));
    victim.cli.child.kill('SIGKILL');
    await victim.cli.exited;
    restarting = sleep(DOWN_MS).then(async () => {
      run.works.push(await run.stack.startWork());
      restarted = now();
    });
  });
  await restarting;
  const recoveryMs = await run.recover(restarted);
  run.notes.push(
    `${kills} × kill -9 of work (jobs running: ${active.join('; ')}); down ${DOWN_MS / 1000} s each; cut-off jobs resume after BullMQ's stalled-job check (30 s)`,
  );
  return { recoveryMs };
}

describe('kill -9 of a work process mid-stream, restarted', () => {
  chaosScenario({ name: 'kill -9 of work', order: 3, seed: 303, body: killWork });
});

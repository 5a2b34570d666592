import { describe } from 'vitest';
import { percentile, sleep } from '../harness/timing.ts';
import { chaosScenario } from '../scenario/chaos-scenario.ts';
import { mode, size } from '../scenario/mode.ts';
import { now, type ScenarioRun } from '../scenario/scenario-run.ts';

const PAUSE_MS = mode === 'quick' ? 2000 : 10_000;
/**
 * The receiver waits this long on Redis, then answers 503; the rest of the 100 ms is the request's
 * own handling on a loaded machine. With the default (100 ms) the 503s came at 101–130 ms here.
 */
const REDIS_WAIT_MS = '50';
/** What the issue asks of the receiver while Redis does not answer, and of its recovery. */
const ANSWER_WITHIN_MS = 100;
const RECOVER_WITHIN_MS = 5000;

const ok = (status: number) => status >= 200 && status < 300;

/**
 * Redis frozen with SIGSTOP (connections stay open, nothing answers) while the portal keeps
 * changing: `serve` must answer its deliveries 503 within 100 ms (p99), so HubSpot retries them, and
 * accept again within 5 s of SIGCONT; nothing may be lost.
 */
async function pauseRedis(run: ScenarioRun) {
  const { redis } = run.stack;
  let pausedAt = 0;
  let resumedAt = 0;
  let resuming: Promise<void> = Promise.resolve();
  await run.operate((index) => {
    if (index !== Math.floor(size.operations / 4)) return;
    redis.pause();
    pausedAt = now();
    resuming = sleep(PAUSE_MS).then(() => {
      redis.resume();
      resumedAt = now();
    });
  });
  await resuming;
  const recoveryMs = await run.recover(resumedAt);
  const during = run.live().filter((d) => d.receivedAt >= pausedAt && d.answeredAt <= resumedAt);
  const times = during.map((d) => d.answeredAt - d.receivedAt);
  const accepted = during.filter((d) => ok(d.status)).length;
  const firstOk = run.live().find((d) => d.answeredAt > resumedAt && ok(d.status));
  const backMs = firstOk ? firstOk.answeredAt - resumedAt : Number.POSITIVE_INFINITY;
  const max = Math.max(0, ...times);
  const p99 = percentile(times, 99);
  run.notes.push(
    `paused ${PAUSE_MS / 1000} s, WEBHOOK_REDIS_TIMEOUT_MS=${REDIS_WAIT_MS}: ${during.length} deliveries answered during the pause, ${accepted} of them 2xx, answer time p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms; first 2xx ${backMs.toFixed(0)} ms after SIGCONT`,
  );
  if (during.length === 0) run.problems.push('no delivery arrived during the pause');
  if (accepted > 0) run.problems.push(`${accepted} deliveries answered 2xx while Redis was paused`);
  // Judged on p99, max reported: on two shared cores a scheduler hiccup can hold any one answer.
  if (p99 > ANSWER_WITHIN_MS) run.problems.push(`p99 of the 503s took ${p99.toFixed(1)} ms`);
  if (backMs > RECOVER_WITHIN_MS) run.problems.push(`first 2xx ${backMs.toFixed(0)} ms after SIGCONT`);
  return { recoveryMs };
}

describe('Redis paused with SIGSTOP', () => {
  chaosScenario({
    name: 'Redis paused (SIGSTOP)',
    order: 5,
    seed: 505,
    env: { WEBHOOK_REDIS_TIMEOUT_MS: REDIS_WAIT_MS },
    body: pauseRedis,
  });
});

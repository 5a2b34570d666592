import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { sandboxCalls } from '../support/sandbox-calls.ts';

/**
 * How a run starts on a full rate budget: `wait` until no call has reached the sandbox for a
 * whole window (10 s), or `empty` both windows at once — the sandbox's and closeloop's — which
 * leaves them as those 10 idle seconds would, without spending them.
 */
export type Refill = 'wait' | 'empty';

/**
 * closeloop's budget window and its Redis keys (src/hubspot/connect.ts, rate-budget.ts): a sorted
 * set of the calls in the window, and the pause a 429 sets (never longer than the window).
 */
const WINDOW_MS = 10_000;
const budgetKeys = (prefix: string) => [
  `${prefix}:budget:${WINDOW_MS}`,
  `${prefix}:budget:${WINDOW_MS}:pause`,
];

/** Until no call has reached the sandbox for a whole window, so a phase starts with the full budget. */
export async function untilFresh(sandbox: RunningSandbox): Promise<void> {
  for (;;) {
    const last = (await sandboxCalls(sandbox.url)).reduce((latest, call) => Math.max(latest, call.at), 0);
    const wait = last + WINDOW_MS + 100 - sandbox.clock.now();
    if (wait <= 0) return;
    await sleep(wait);
  }
}

/**
 * Empties the sandbox's windows and closeloop's budget; closeloop must be idle (settled). Returns
 * the calls closeloop's budget held.
 */
export async function emptyWindows(sandbox: RunningSandbox, redis: Redis, prefix: string): Promise<number> {
  const [budget] = budgetKeys(prefix);
  const held = await redis.zcard(budget as string);
  await redis.del(...budgetKeys(prefix));
  sandbox.clearRateWindows();
  return held;
}

/**
 * A full budget by `refill`. With `empty`, after a run that called HubSpot (`calledLately`), the
 * budget must have held calls: none means its key was renamed and nothing was emptied.
 */
export async function refillBudget(
  refill: Refill,
  bench: { readonly sandbox: RunningSandbox; readonly redis: Redis; readonly prefix: string },
  calledLately: boolean,
): Promise<void> {
  if (refill === 'wait') return untilFresh(bench.sandbox);
  const held = await emptyWindows(bench.sandbox, bench.redis, bench.prefix);
  if (calledLately && held === 0)
    throw new Error(`no call in closeloop's budget ${budgetKeys(bench.prefix)[0]}: has its key changed?`);
}

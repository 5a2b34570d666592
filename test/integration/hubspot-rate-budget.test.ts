import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createRateBudget, type Priority, type RateBudget } from '../../src/hubspot/rate-budget.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';

const root = uniquePrefix(import.meta.filename);
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
let tests = 0;

afterAll(async () => {
  await deleteKeys(TEST_REDIS_URL, root);
  redis.disconnect();
});

/** A fresh prefix per test, so no test sees another's slots or pauses. */
const nextPrefix = () => `${root}:${++tests}`;
// The budget's own key names: read to observe acquisitions on Redis's clock, not to drive it.
const windowKey = (prefix: string, windowMs: number) => `${prefix}:budget:${windowMs}`;
const pauseKey = (prefix: string, windowMs: number) => `${windowKey(prefix, windowMs)}:pause`;

/**
 * A sleep that never wakes on its own: a refused acquire shows up as a recorded wait and stays
 * parked, so a burst's outcome can be counted without racing the window. `stop` ends the parked
 * loops.
 */
function parkingSleep() {
  const requested: number[] = [];
  const parked: ((error: Error) => void)[] = [];
  let stopped = false;
  return {
    requested,
    sleep(ms: number): Promise<void> {
      requested.push(ms);
      if (stopped) return Promise.reject(new Error('stopped'));
      return new Promise((_, reject) => parked.push(reject));
    },
    stop() {
      stopped = true;
      for (const reject of parked.splice(0)) reject(new Error('stopped'));
    },
  };
}

type Granted = Record<Priority, number>;
const noneGranted = (): Granted => ({ live: 0, background: 0 });

/** Starts acquires and counts those granted; refused ones stay parked in their sleep. */
function burst(budget: RateBudget, priority: Priority, count: number, granted: Granted) {
  for (let i = 0; i < count; i++)
    budget.acquire(priority).then(
      () => granted[priority]++,
      () => undefined,
    );
}

/** Waits until `total` acquires have each been granted or asked to sleep. */
async function settled(granted: Granted, parking: { requested: number[] }, total: number) {
  await vi.waitFor(() => expect(granted.live + granted.background + parking.requested.length).toBe(total), {
    timeout: 5000,
  });
}

describe('createRateBudget with two processes sharing a prefix', () => {
  // Long enough that no slot frees up while a burst is being counted; nothing waits for it.
  const LONG_WINDOW = 60_000;

  function twoBudgets(prefix: string, limit: number, liveReserve: number) {
    const parking = parkingSleep();
    const make = () =>
      createRateBudget({ redis, prefix, limit, windowMs: LONG_WINDOW, liveReserve, sleep: parking.sleep });
    return { a: make(), b: make(), parking };
  }

  it('grants a burst only up to the limit, across both budgets', async () => {
    const prefix = nextPrefix();
    const { a, b, parking } = twoBudgets(prefix, 4, 0);
    const granted = noneGranted();

    burst(a, 'live', 5, granted);
    burst(b, 'live', 5, granted);
    await settled(granted, parking, 10);

    expect(granted.live).toBe(4);
    expect(await redis.zcard(windowKey(prefix, LONG_WINDOW))).toBe(4);
    // Each refused caller is told to come back within one window, not never.
    for (const wait of parking.requested) {
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(LONG_WINDOW);
    }
    parking.stop();
  });

  // [limit, liveReserve, background share = floor(limit × (1 − reserve))]
  it.each([
    [4, 0.5, 2],
    [8, 0.25, 6],
    [10, 0.25, 7],
  ])('keeps the live reserve from background work (limit %i, reserve %f)', async (limit, reserve, share) => {
    const { a, b, parking } = twoBudgets(nextPrefix(), limit, reserve);
    const granted = noneGranted();

    burst(a, 'background', share + 1, granted);
    await settled(granted, parking, share + 1);
    expect(granted.background).toBe(share);

    // The other process's live work still gets the reserved slots, and no more.
    const reserved = limit - share;
    burst(b, 'live', reserved + 1, granted);
    await settled(granted, parking, share + reserved + 2);
    expect(granted).toEqual({ background: share, live: reserved });
    parking.stop();
  });

  it('counts live calls against the background share', async () => {
    const { a, b, parking } = twoBudgets(nextPrefix(), 4, 0.5);
    const granted = noneGranted();

    // Live work has used the background share: background gets nothing though slots remain.
    burst(a, 'live', 2, granted);
    await settled(granted, parking, 2);
    burst(b, 'background', 1, granted);
    await settled(granted, parking, 3);
    expect(granted).toEqual({ live: 2, background: 0 });

    burst(b, 'live', 3, granted);
    await settled(granted, parking, 6);
    expect(granted).toEqual({ live: 4, background: 0 });
    parking.stop();
  });

  it('never grants more than the limit in any window as slots free up', async () => {
    const prefix = nextPrefix();
    const windowMs = 400;
    const limit = 3;
    const sleeps: number[] = [];
    const sleep = (ms: number) => {
      sleeps.push(ms);
      return new Promise<void>((resolve) => setTimeout(resolve, ms));
    };
    const make = () => createRateBudget({ redis, prefix, limit, windowMs, liveReserve: 0, sleep });
    const budgets = [make(), make()];
    // Each grant's slot, with its score (ms on Redis's clock), read right after the grant while it
    // is certainly still inside the window.
    const slots = new Map<string, number>();
    const observe = async () => {
      const entries = await redis.zrange(windowKey(prefix, windowMs), 0, '-1', 'WITHSCORES');
      for (let i = 0; i < entries.length; i += 2) slots.set(entries[i] as string, Number(entries[i + 1]));
    };

    await Promise.all(Array.from({ length: 10 }, (_, i) => budgets[i % 2]!.acquire('live').then(observe)));

    const scores = [...slots.values()].sort((x, y) => x - y);
    expect(scores).toHaveLength(10);
    for (const score of scores) {
      // The script drops slots at or before now - window, so (score - window, score] is one window.
      const inWindow = scores.filter((other) => other > score - windowMs && other <= score);
      expect(inWindow.length).toBeLessThanOrEqual(limit);
    }
    expect(sleeps.length).toBeGreaterThan(0);
  });
});

describe('createRateBudget pause', () => {
  it('stops both processes, live and background, without taking slots', async () => {
    const prefix = nextPrefix();
    const windowMs = 200;
    const parking = parkingSleep();
    const make = () =>
      createRateBudget({ redis, prefix, limit: 100, windowMs, liveReserve: 0.25, sleep: parking.sleep });
    const [a, b] = [make(), make()];
    const granted = noneGranted();

    await a.pause(30_000);
    burst(a, 'live', 1, granted);
    burst(b, 'live', 1, granted);
    burst(b, 'background', 1, granted);
    await settled(granted, parking, 3);

    expect(granted).toEqual({ live: 0, background: 0 });
    expect(await redis.zcard(windowKey(prefix, windowMs))).toBe(0);
    // A pause longer than the window is waited out in window-sized naps, so a pause that is
    // lifted early is noticed within a window.
    expect(parking.requested).toEqual([windowMs, windowMs, windowMs]);
    parking.stop();
  });

  it('lets both processes through once the pause has run out', async () => {
    const prefix = nextPrefix();
    const windowMs = 200;
    const sleeps: number[] = [];
    const sleep = (ms: number) => {
      sleeps.push(ms);
      return new Promise<void>((resolve) => setTimeout(resolve, ms));
    };
    const make = () => createRateBudget({ redis, prefix, limit: 10, windowMs, liveReserve: 0.25, sleep });
    const [a, b] = [make(), make()];

    await a.pause(500);
    await Promise.all([a.acquire('live'), b.acquire('background')]);

    // Both were held by the pause, and granted only once it had run out: its key is gone (-2) or
    // in its last millisecond (0), never back with time left.
    expect(sleeps.length).toBeGreaterThanOrEqual(2);
    expect(await redis.pttl(pauseKey(prefix, windowMs))).toBeLessThanOrEqual(0);
    expect(await redis.zcard(windowKey(prefix, windowMs))).toBe(2);
  });
});

describe('createRateBudget longer pauses and the daily budget', () => {
  it('never shortens a longer pause', async () => {
    const prefix = nextPrefix();
    const budget = createRateBudget({ redis, prefix, limit: 10, windowMs: 200, liveReserve: 0.25 });
    await budget.pause(60_000);
    await budget.pause(1000);
    expect(await redis.pttl(pauseKey(prefix, 200))).toBeGreaterThan(1000);
  });

  it('refuses every process with DailyLimitError until the reset, without taking a slot', async () => {
    const prefix = nextPrefix();
    const make = () => createRateBudget({ redis, prefix, limit: 10, windowMs: 200, liveReserve: 0.25 });
    const [a, b] = [make(), make()];
    const reset = Date.now() + 3_600_000;
    await a.pauseUntilReset(reset);
    await expect(b.acquire('live')).rejects.toMatchObject({ name: 'DailyLimitError', untilMs: reset });
    await expect(a.acquire('background')).rejects.toMatchObject({ name: 'DailyLimitError', untilMs: reset });
    expect(await redis.zcard(windowKey(prefix, 200))).toBe(0);
  });
});

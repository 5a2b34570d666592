import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { DailyLimitError } from '../../src/errors.ts';
import { createDailyBudget, reserveCalls } from '../../src/hubspot/daily-budget.ts';
import { createRateBudget } from '../../src/hubspot/rate-budget.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';

const root = uniquePrefix(import.meta.filename);
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
let tests = 0;

afterAll(async () => {
  await deleteKeys(TEST_REDIS_URL, root);
  redis.disconnect();
});

const dailyHeaders = (limit: number, remaining: number) =>
  new Headers({
    'x-hubspot-ratelimit-daily': String(limit),
    'x-hubspot-ratelimit-daily-remaining': String(remaining),
  });

/** A daily budget with a 10 % reserve and the rate budgets that obey it, under a fresh prefix. */
function budgets(reservePercent = 10) {
  const prefix = `${root}:${++tests}`;
  const daily = createDailyBudget({ redis, prefix, reservePercent, now: () => 1_000 });
  const calls = createRateBudget({ redis, prefix, limit: 100, windowMs: 10_000, liveReserve: 0.25 });
  const search = createRateBudget({
    redis,
    prefix: `${prefix}:search`,
    limit: 4,
    windowMs: 1000,
    liveReserve: 0,
    dailyPrefix: prefix,
  });
  return { prefix, daily, calls, search };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('reserveCalls', () => {
  it.each([
    [250_000, 10, 25_000],
    [1_000_000, 5, 50_000],
    [500, 10, 50],
    [7, 10, 1],
    [500, 0, 0],
  ])('of a %i-call day at %i %% is %i calls', (limit, percent, expected) => {
    expect(reserveCalls(limit, percent)).toBe(expected);
  });
});

describe('the daily budget', () => {
  it("remembers what HubSpot's headers said", async () => {
    const { daily } = budgets();
    await daily.observe(dailyHeaders(250_000, 180_000), Date.now() + 60_000);
    expect(await daily.read()).toEqual({ limit: 250_000, remaining: 180_000, at: 1_000 });
    expect(await daily.backgroundPausedUntil()).toBeUndefined();
  });

  it('learns nothing from a response without daily headers (search answers carry none)', async () => {
    const { daily } = budgets();
    await daily.observe(new Headers({ 'x-hubspot-ratelimit-remaining': '9' }), Date.now() + 60_000);
    expect(await daily.read()).toBeUndefined();
  });

  it('at the reserve, pauses background work until the reset while live work goes on', async () => {
    const { daily, calls } = budgets();
    const resetAt = Date.now() + 60_000;
    await daily.observe(dailyHeaders(1000, 100), resetAt);

    const error = await refusal(calls.acquire('background'));
    expect(error).toBeInstanceOf(DailyLimitError);
    expect(error).toMatchObject({ untilMs: resetAt, reason: 'reserve' });
    await expect(calls.acquire('live')).resolves.toBeUndefined();
    expect(await daily.backgroundPausedUntil()).toBe(resetAt);
  });

  it('one call above the reserve still lets background work through', async () => {
    const { daily, calls } = budgets();
    await daily.observe(dailyHeaders(1000, 101), Date.now() + 60_000);
    await expect(calls.acquire('background')).resolves.toBeUndefined();
  });

  it('resumes background work when a later answer shows more left (a bigger limit bought mid-day)', async () => {
    const { daily, calls } = budgets();
    await daily.observe(dailyHeaders(1000, 50), Date.now() + 60_000);
    await daily.observe(dailyHeaders(2_000_000, 1_000_050), Date.now() + 60_000);
    await expect(calls.acquire('background')).resolves.toBeUndefined();
  });

  it('forgets the state and the pause at the reset, by Redis expiry', async () => {
    const { prefix, daily } = budgets();
    const resetAt = Date.now() + 60_000;
    await daily.observe(dailyHeaders(1000, 10), resetAt);
    for (const key of [`${prefix}:budget:daily`, `${prefix}:budget:daily-reserve`]) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
  });

  it('holds searches to the same account-wide day', async () => {
    const { daily, calls, search } = budgets();
    const resetAt = Date.now() + 60_000;
    await daily.observe(dailyHeaders(1000, 0), resetAt);
    await calls.pauseUntilReset(resetAt);
    expect(await refusal(search.acquire('live'))).toMatchObject({ untilMs: resetAt, reason: 'spent' });
    expect(await refusal(search.acquire('background'))).toMatchObject({ untilMs: resetAt, reason: 'spent' });
  });

  it('with no reserve, background work runs until the day is spent', async () => {
    const { daily, calls } = budgets(0);
    await daily.observe(dailyHeaders(1000, 1), Date.now() + 60_000);
    await expect(calls.acquire('background')).resolves.toBeUndefined();
  });
});

import type { Redis } from 'ioredis';
import { z } from 'zod';
import { dailyReserveKey, dailySpentKey } from './rate-budget.ts';

/** What HubSpot's headers last said about the account's daily budget. */
export interface DailyBudgetState {
  readonly limit: number;
  readonly remaining: number;
  /** Epoch ms of the response that said so. */
  readonly at: number;
}

export interface DailyBudget {
  /**
   * Records HubSpot's daily headers. At or below the reserve, background work (reconcile,
   * backfill) stops until `resetAt`, so live sync and write-back keep the rest of the day's calls.
   */
  observe(headers: Headers, resetAt: number): Promise<void>;
  read(): Promise<DailyBudgetState | undefined>;
  /** Epoch ms until which background work waits, when it does. */
  backgroundPausedUntil(): Promise<number | undefined>;
}

export function dailyBudgetKey(prefix: string): string {
  return `${prefix}:budget:daily`;
}

// One script, so the state and the reserve flag never disagree; both expire at the reset.
const OBSERVE = `
redis.call('HSET', KEYS[1], 'limit', ARGV[1], 'remaining', ARGV[2], 'at', ARGV[3])
redis.call('PEXPIREAT', KEYS[1], ARGV[5])
if tonumber(ARGV[2]) <= tonumber(ARGV[4]) then
  redis.call('SET', KEYS[2], ARGV[5], 'PXAT', ARGV[5])
else
  redis.call('DEL', KEYS[2])
end
return 0
`;

const headerNumber = z.string().regex(/^\d+$/).transform(Number);
const stateSchema = z.object({ limit: headerNumber, remaining: headerNumber, at: headerNumber });

/** The reserve in calls: `percent` of the day's limit, at least one call. */
export function reserveCalls(limit: number, percent: number): number {
  return percent <= 0 ? 0 : Math.max(1, Math.ceil((limit * percent) / 100));
}

export function createDailyBudget(options: {
  readonly redis: Redis;
  readonly prefix: string;
  readonly reservePercent: number;
  readonly now?: () => number;
}): DailyBudget {
  const { redis, prefix, reservePercent } = options;
  const now = options.now ?? Date.now;
  return {
    async observe(headers, resetAt) {
      const limit = headerNumber.safeParse(headers.get('x-hubspot-ratelimit-daily'));
      const remaining = headerNumber.safeParse(headers.get('x-hubspot-ratelimit-daily-remaining'));
      // Search responses carry no rate-limit headers; nothing to learn from them.
      if (!limit.success || !remaining.success) return;
      const reserve = reserveCalls(limit.data, reservePercent);
      await redis.eval(
        OBSERVE,
        2,
        dailyBudgetKey(prefix),
        dailyReserveKey(prefix),
        limit.data,
        remaining.data,
        now(),
        reserve,
        Math.round(resetAt),
      );
    },
    async read() {
      const parsed = stateSchema.safeParse(await redis.hgetall(dailyBudgetKey(prefix)));
      return parsed.success ? parsed.data : undefined;
    },
    backgroundPausedUntil: () => backgroundPausedUntil(redis, prefix),
  };
}

/**
 * Epoch ms until which background work should not start, because the daily budget is spent or
 * down to the live reserve; undefined when it may run.
 */
export async function backgroundPausedUntil(redis: Redis, prefix: string): Promise<number | undefined> {
  const [spent, reserve] = await redis.mget(dailySpentKey(prefix), dailyReserveKey(prefix));
  const until = Math.max(Number(spent ?? 0), Number(reserve ?? 0));
  return until > 0 ? until : undefined;
}

import type { Redis } from 'ioredis';
import { DailyLimitError } from '../errors.ts';

export type Priority = 'live' | 'background';

export interface RateBudgetOptions {
  readonly redis: Redis;
  readonly prefix: string;
  /** Calls allowed per window for all processes together (80 % of the app's limit by default). */
  readonly limit: number;
  readonly windowMs: number;
  /** Share of the window background work (backfill, reconcile) may not use, kept for live work. */
  readonly liveReserve: number;
  /** Prefix of the account-wide daily keys (the search budget shares the main budget's). */
  readonly dailyPrefix?: string;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface RateBudget {
  /** Resolves when a call may be made now; the slot is taken. */
  acquire(priority: Priority): Promise<void>;
  /** Stops every process's calls for `ms` (after a 429); never shortens a longer pause. */
  pause(ms: number): Promise<void>;
  /** Stops every process's calls until `untilMs` (epoch ms), when the daily budget resets. */
  pauseUntilReset(untilMs: number): Promise<void>;
}

// A sliding-window log in one sorted set, on Redis's clock so every process agrees. Returns 0 when
// a slot was taken, 'spent:<reset ms>' when the daily budget is spent, 'reserve:<reset ms>' when
// background work is down to the reserve, else how many ms to wait.
const ACQUIRE = `
local daily = redis.call('GET', KEYS[3])
if daily then return 'spent:' .. daily end
if ARGV[4] == 'background' then
  local reserve = redis.call('GET', KEYS[4])
  if reserve then return 'reserve:' .. reserve end
end
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return paused end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local used = redis.call('ZCARD', KEYS[1])
if used < cap then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], used - cap, used - cap, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now + 1)
`;

const EXTEND_PAUSE = `
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 0
`;

/** Set, with the reset time as value, while the account's daily budget is spent. */
export function dailySpentKey(prefix: string): string {
  return `${prefix}:budget:daily-spent`;
}

/** Set, with the reset time as value, while the daily budget is down to the reserve kept for live work. */
export function dailyReserveKey(prefix: string): string {
  return `${prefix}:budget:daily-reserve`;
}

let sequence = 0;

export function createRateBudget(options: RateBudgetOptions): RateBudget {
  const { redis, prefix, limit, windowMs } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const dailyPrefix = options.dailyPrefix ?? prefix;
  const keys = [
    `${prefix}:budget:${windowMs}`,
    `${prefix}:budget:${windowMs}:pause`,
    dailySpentKey(dailyPrefix),
    dailyReserveKey(dailyPrefix),
  ];
  const caps: Record<Priority, number> = {
    live: Math.max(1, limit),
    background: Math.max(1, Math.floor(limit * (1 - options.liveReserve))),
  };
  const member = () => `${process.pid}:${Date.now()}:${sequence++}`;

  return {
    async acquire(priority) {
      for (;;) {
        const answer = await redis.eval(ACQUIRE, 4, ...keys, windowMs, caps[priority], member(), priority);
        // Waiting hours inside a job would hold its worker: the job is put off instead.
        if (typeof answer === 'string') {
          const [reason, until] = answer.split(':');
          throw new DailyLimitError(Number(until), reason === 'reserve' ? 'reserve' : 'spent');
        }
        const wait = Number(answer);
        if (wait === 0) return;
        await sleep(Math.min(wait, windowMs));
      }
    },
    async pause(ms) {
      await redis.eval(EXTEND_PAUSE, 1, keys[1] as string, Math.max(1, Math.round(ms)));
    },
    async pauseUntilReset(untilMs) {
      await redis.set(keys[2] as string, String(untilMs), 'PXAT', Math.round(untilMs));
    },
  };
}

import type { Redis } from 'ioredis';

export type Priority = 'live' | 'background';

export interface RateBudgetOptions {
  readonly redis: Redis;
  readonly prefix: string;
  /** Calls allowed per window for all processes together (80 % of the app's limit by default). */
  readonly limit: number;
  readonly windowMs: number;
  /** Share of the window background work (backfill, reconcile) may not use, kept for live work. */
  readonly liveReserve: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface RateBudget {
  /** Resolves when a call may be made now; the slot is taken. */
  acquire(priority: Priority): Promise<void>;
  /** Stops every process's calls for `ms` (after a 429). */
  pause(ms: number): Promise<void>;
}

// A sliding-window log in one sorted set, on Redis's clock so every process agrees. Returns 0 when
// a slot was taken, else how many ms to wait before asking again.
const ACQUIRE = `
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

let sequence = 0;

export function createRateBudget(options: RateBudgetOptions): RateBudget {
  const { redis, prefix, limit, windowMs } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const keys = [`${prefix}:budget:${windowMs}`, `${prefix}:budget:${windowMs}:pause`];
  const caps: Record<Priority, number> = {
    live: Math.max(1, limit),
    background: Math.max(1, Math.floor(limit * (1 - options.liveReserve))),
  };
  const member = () => `${process.pid}:${Date.now()}:${sequence++}`;

  return {
    async acquire(priority) {
      for (;;) {
        const wait = Number(await redis.eval(ACQUIRE, 2, ...keys, windowMs, caps[priority], member()));
        if (wait === 0) return;
        await sleep(Math.min(wait, windowMs));
      }
    },
    async pause(ms) {
      await redis.set(keys[1] as string, '1', 'PX', Math.max(1, Math.round(ms)));
    },
  };
}

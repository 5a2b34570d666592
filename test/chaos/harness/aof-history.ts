import type { ChaosRedis } from './chaos-redis.ts';

/**
 * The size of Redis's incremental AOF, sampled every 50 ms, so a crash can be made to lose exactly
 * what `appendfsync everysec` may lose: the writes of the last second, never fsynced.
 */
export interface AofHistory {
  /** The last sample taken at or before `at` (epoch ms): when, and the AOF's size then. */
  sampleBefore(at: number): { at: number; size: number };
  stop(): void;
}

export function recordAofHistory(redis: ChaosRedis, now: () => number): AofHistory {
  const samples: Array<{ at: number; size: number }> = [];
  const sample = () => {
    try {
      samples.push({ at: now(), size: redis.aofTailSize() });
    } catch {
      // Between a kill and the restart there may be no manifest to read; the next sample will do.
    }
  };
  sample();
  const timer = setInterval(sample, 50);
  return {
    sampleBefore(at) {
      const before = samples.filter((entry) => entry.at <= at);
      const last = before[before.length - 1];
      if (!last) throw new Error('no AOF sample that early');
      return last;
    },
    stop: () => clearInterval(timer),
  };
}

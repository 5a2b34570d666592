import type { Redis } from 'ioredis';

/** Redis' own account of a stretch of work: time per command (INFO commandstats) and the slow log. */
export interface RedisProfile {
  /** Command → calls and total µs inside Redis. */
  readonly commands: ReadonlyMap<string, { calls: number; micros: number }>;
  /** Commands that took longer than the threshold, slowest first: name and µs. */
  readonly slow: readonly { command: string; micros: number }[];
}

export const SLOW_MICROS = 1000;

/** Clears the counters and the slow log (on a Redis of the benchmark's own) before the work to profile. */
export async function resetProfile(redis: Redis): Promise<void> {
  await redis.config('SET', 'slowlog-log-slower-than', String(SLOW_MICROS));
  await redis.config('SET', 'slowlog-max-len', '1024');
  await redis.slowlog('RESET');
  await redis.config('RESETSTAT');
}

export async function readProfile(redis: Redis): Promise<RedisProfile> {
  const commands = new Map<string, { calls: number; micros: number }>();
  for (const line of (await redis.info('commandstats')).split('\n')) {
    const match = /^cmdstat_([\w|]+):calls=(\d+),usec=(\d+)/.exec(line.trim());
    if (match) commands.set(match[1] as string, { calls: Number(match[2]), micros: Number(match[3]) });
  }
  const entries = (await redis.slowlog('GET', 1024)) as [number, number, number, string[]][];
  const slow = entries
    .map(([, , micros, args]) => ({ command: String(args[0]).toLowerCase(), micros }))
    .sort((a, b) => b.micros - a.micros);
  return { commands, slow };
}

/** "hscan 500 × 0.4 ms = 210 ms; …", the commands that took the most time first. */
export function describeProfile(profile: RedisProfile, limit = 4): string {
  return [...profile.commands]
    .filter(([name]) => !['config', 'slowlog', 'info'].includes(name.split('|')[0] as string))
    .sort((a, b) => b[1].micros - a[1].micros)
    .slice(0, limit)
    .map(
      ([name, { calls, micros }]) =>
        `${name} ${calls} × ${(micros / calls / 1000).toFixed(2)} ms = ${(micros / 1000).toFixed(0)} ms`,
    )
    .join('; ');
}

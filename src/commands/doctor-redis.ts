import type { Redis } from 'ioredis';
import {
  type Check,
  clockVerdict,
  evictionVerdict,
  persistenceVerdict,
  redisVersionVerdict,
} from '../core/doctor-verdicts.ts';

/** `INFO`'s `key:value` lines, all sections. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/** Version, persistence and eviction from INFO (readable where managed Redis refuses CONFIG), and Redis's clock. */
export async function redisChecks(redis: Redis, now: () => number): Promise<Check[]> {
  const info = parseInfo(await redis.info());
  const sent = now();
  const [seconds, micros] = await redis.time();
  const received = now();
  const redisNow = Number(seconds) * 1000 + Number(micros) / 1000;
  return [
    { section: 'redis', name: 'reachable', status: 'ok', detail: info.get('redis_mode') ?? 'standalone' },
    redisVersionVerdict(info.get('redis_version') ?? '0'),
    persistenceVerdict(info.get('aof_enabled') === '1'),
    evictionVerdict(info.get('maxmemory_policy')),
    { ...clockVerdict('Redis', redisNow - (sent + received) / 2), section: 'runtime' },
  ];
}

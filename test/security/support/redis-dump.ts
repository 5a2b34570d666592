import type { Redis } from 'ioredis';

export interface DumpedKey {
  readonly key: string;
  readonly type: string;
  /** Every byte the key holds: members, fields, values, scores, stream entries. */
  readonly content: Buffer;
}

/** Replies flattened to their bytes, however the protocol nests them (RESP3 pairs scores with members). */
function flatBytes(reply: unknown): Buffer[] {
  if (Buffer.isBuffer(reply)) return [reply];
  if (Array.isArray(reply)) return reply.flatMap(flatBytes);
  if (reply instanceof Map) return [...reply].flatMap(flatBytes);
  if (reply !== null && typeof reply === 'object') return Object.entries(reply).flatMap(flatBytes);
  return reply === null || reply === undefined ? [] : [Buffer.from(String(reply), 'utf8')];
}

const READERS: Record<string, (redis: Redis, key: string) => Promise<unknown>> = {
  string: (redis, key) => redis.getBuffer(key),
  hash: (redis, key) => redis.hgetallBuffer(key),
  list: (redis, key) => redis.lrangeBuffer(key, 0, -1),
  set: (redis, key) => redis.smembersBuffer(key),
  zset: (redis, key) => redis.callBuffer('ZRANGE', key, '0', '-1', 'WITHSCORES'),
  stream: (redis, key) => redis.xrangeBuffer(key, '-', '+'),
};

async function contentOf(redis: Redis, key: string, type: string): Promise<Buffer[]> {
  const read = READERS[type];
  if (!read) throw new Error(`key ${key} has type ${type}, which this dump cannot read: add it`);
  return flatBytes(await read(redis, key));
}

// Between parts, so that no text spans two of them.
const SEPARATOR = Buffer.from('\n');

/** Every key of the database and all it holds, whatever its type; an unknown type fails the dump. */
export async function dumpRedis(redis: Redis): Promise<DumpedKey[]> {
  const dumped: DumpedKey[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      // A key that expired between SCAN and TYPE holds nothing to leak.
      if (type === 'none') continue;
      const parts = await contentOf(redis, key, type);
      dumped.push({ key, type, content: Buffer.concat(parts.flatMap((part) => [part, SEPARATOR])) });
    }
  } while (cursor !== '0');
  return dumped;
}

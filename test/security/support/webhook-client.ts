import { createHmac } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const WEBHOOK_PATH = '/webhooks/hubspot';

/** HubSpot's v3 recipe over raw bytes (the target must need no decoding): HMAC of method, URL, body, timestamp. */
export function signV3(secret: string, method: string, url: string, body: Buffer, timestamp: string): string {
  return createHmac('sha256', secret)
    .update(Buffer.concat([Buffer.from(`${method}${url}`, 'utf8'), body, Buffer.from(timestamp, 'utf8')]))
    .digest('base64');
}

export type Header = readonly [string, string];

/** The headers HubSpot sends with a delivery, signed for `url` (framing is the sender's business). */
export function signedHeaders(secret: string, url: string, body: Buffer, at = Date.now()): Header[] {
  const timestamp = String(at);
  return [
    ['Content-Type', 'application/json'],
    ['X-HubSpot-Signature-v3', signV3(secret, 'POST', url, body, timestamp)],
    ['X-HubSpot-Request-Timestamp', timestamp],
  ];
}

export interface Enqueued {
  /** Every job the events queue holds, in any state. */
  readonly jobs: number;
  /** The highest job id BullMQ ever handed out: moves even if a job were removed at once. */
  readonly lastJobId: number;
  /** Deduplication marks. */
  readonly seen: number;
}

async function countKeys(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let count = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    count += keys.length;
  } while (cursor !== '0');
  return count;
}

/** What the receiver has put into Redis so far: jobs of the events queue and seen-marks. */
export async function enqueued(redis: Redis, queue: Queue, prefix: string): Promise<Enqueued> {
  const counts = await queue.getJobCounts();
  return {
    jobs: Object.values(counts).reduce((sum, count) => sum + count, 0),
    lastJobId: Number((await redis.get(`${prefix}:events:id`)) ?? 0),
    seen: await countKeys(redis, `${prefix}:seen:*`),
  };
}

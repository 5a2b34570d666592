import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** Jobs in one state across closeloop's queues: in total and per queue (only queues that have any). */
export async function jobCounts(
  redis: Redis,
  prefix: string,
  names: readonly string[],
  state: 'failed' | 'completed' | 'active' | 'waiting',
): Promise<{ total: number; byQueue: Record<string, number> }> {
  const byQueue: Record<string, number> = {};
  let total = 0;
  for (const name of names) {
    const queue = new Queue(name, { connection: redis, prefix });
    try {
      const count = (await queue.getJobCounts(state))[state] ?? 0;
      if (count > 0) byQueue[name] = count;
      total += count;
    } finally {
      await queue.close();
    }
  }
  return { total, byQueue };
}

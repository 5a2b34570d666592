import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { QUEUE_NAMES } from '../queue.ts';
import { portalKeys } from '../store/keys.ts';

export interface SettleOptions {
  readonly redis: Redis;
  readonly config: Config;
  readonly portal: number;
  /** Webhook events HubSpot (or the sandbox) still has to deliver. */
  readonly webhooksPending: () => number;
  readonly timeoutMs?: number;
}

/**
 * Resolves once webhooks are delivered, every queue is empty, nothing waits to be re-read and
 * nothing waits to be written — three checks in a row, so a job between queues is not missed.
 */
export async function waitUntilSettled(options: SettleOptions): Promise<void> {
  const { redis, config } = options;
  const queues = Object.values(QUEUE_NAMES).map(
    (name) => new Queue(name, { connection: redis, prefix: config.redis.prefix }),
  );
  const keys = portalKeys(config.redis.prefix, options.portal);
  const busy = async () => {
    if (options.webhooksPending() > 0) return true;
    for (const queue of queues) {
      // Reconcile's next sweep always waits, delayed by its scheduler: only a running one counts.
      const states = queue.name === QUEUE_NAMES.reconcile ? [] : (['delayed'] as const);
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', ...states);
      if (Object.values(counts).some((count) => count > 0)) return true;
    }
    const sizes = await Promise.all([
      redis.scard(keys.pending('contact')),
      redis.scard(keys.pending('deal')),
      redis.scard(keys.rescore('contacts')),
      redis.scard(keys.rescore('deals')),
      redis.hlen(keys.outbox('contacts')),
      redis.hlen(keys.outbox('deals')),
    ]);
    return sizes.some((size) => size > 0);
  };
  try {
    const deadline = Date.now() + (options.timeoutMs ?? 180_000);
    for (let quiet = 0; quiet < 3; ) {
      if (Date.now() > deadline) throw new Error('Work did not settle in time');
      await new Promise((resolve) => setTimeout(resolve, 200));
      quiet = (await busy()) ? 0 : quiet + 1;
    }
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
  }
}

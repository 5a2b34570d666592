import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { deadline } from './deadline.ts';
import { dailySpentKey } from './hubspot/rate-budget.ts';

export type WebhookOutcome = 'enqueued' | 'duplicate' | 'ignored';

/** One registry per process (or per app in tests), never prom-client's global one. */
export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  readonly webhookEvents: Counter<'outcome'>;
  readonly enqueueSeconds: Histogram<never>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'closeloop_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'closeloop_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'closeloop_http_request_duration_seconds',
      help: 'HTTP request duration by route',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    webhookEvents: new Counter({
      name: 'closeloop_webhook_events_total',
      help: 'Webhook events received, by what happened to them',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    enqueueSeconds: new Histogram({
      name: 'closeloop_webhook_enqueue_seconds',
      help: 'Time to deduplicate and enqueue one webhook delivery',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers: [registry],
    }),
  };
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/** Queue depth, read from Redis when Prometheus scrapes; a slow Redis yields no sample, not a hang. */
export function watchQueueDepth(metrics: Metrics, queues: readonly Queue[], timeoutMs = 1000): void {
  new Gauge({
    name: 'closeloop_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'],
    registers: [metrics.registry],
    async collect() {
      for (const queue of queues) {
        const counts = await deadline(
          queue.getJobCounts(...QUEUE_STATES),
          timeoutMs,
          () => new Error('timeout'),
        ).catch(() => undefined);
        if (!counts) continue;
        for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });
}

/** Whether HubSpot's daily budget is spent and when it resets (read from Redis at scrape time). */
export function watchDailyBudget(metrics: Metrics, redis: Redis, prefix: string, timeoutMs = 1000): void {
  new Gauge({
    name: 'closeloop_hubspot_daily_limit_resets_at_seconds',
    help: "When the account's spent daily API budget resets and closeloop resumes (epoch seconds); 0 while it is not spent",
    registers: [metrics.registry],
    async collect() {
      const until = await deadline(
        redis.get(dailySpentKey(prefix)),
        timeoutMs,
        () => new Error('timeout'),
      ).catch(() => undefined);
      if (until !== undefined) this.set(until === null ? 0 : Number(until) / 1000);
    },
  });
}

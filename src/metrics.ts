import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { deadline } from './deadline.ts';
import { dailyBudgetKey } from './hubspot/daily-budget.ts';
import { dailyReserveKey, dailySpentKey } from './hubspot/rate-budget.ts';

export type WebhookOutcome = 'enqueued' | 'duplicate' | 'ignored';

/** One registry per process (or per app in tests), never prom-client's global one. */
export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  readonly webhookEvents: Counter<'outcome'>;
  readonly enqueueSeconds: Histogram<never>;
  readonly webhookLag: Histogram<never>;
}

/** A registry of its own with the process metrics (CPU, memory, event loop), named closeloop_*. */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'closeloop_' });
  return registry;
}

export function createMetrics(): Metrics {
  const registry = createRegistry();
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
      help: 'Webhook events received, by what happened to them (enqueued includes repeats, which work counts again as duplicate when their jobs drop them)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    enqueueSeconds: new Histogram({
      name: 'closeloop_webhook_enqueue_seconds',
      help: 'Time to deduplicate and enqueue one webhook delivery',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers: [registry],
    }),
    webhookLag: new Histogram({
      name: 'closeloop_webhook_lag_seconds',
      help: "From a change in HubSpot (the event's occurredAt) to its arrival here; retries after failures show as hours",
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600],
      registers: [registry],
    }),
  };
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/**
 * Queue depth and the age of the oldest waiting job, read from Redis when Prometheus scrapes; a
 * slow Redis yields no sample, not a hang.
 */
export function watchQueueDepth(
  metrics: { readonly registry: Registry },
  queues: readonly Queue[],
  timeoutMs = 1000,
): void {
  const within = <T>(promise: Promise<T>) =>
    deadline(promise, timeoutMs, () => new Error('timeout')).catch(() => undefined);
  new Gauge({
    name: 'closeloop_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting to run, per queue (since it became ready); 0 when none waits',
    labelNames: ['queue'],
    registers: [metrics.registry],
    async collect() {
      for (const queue of queues) {
        const jobs = await within(queue.getJobs(['waiting'], 0, 0, true));
        if (!jobs) continue;
        const oldest = jobs[0];
        const ready = oldest ? oldest.timestamp + (oldest.delay ?? 0) : Date.now();
        this.set({ queue: queue.name }, Math.max(0, (Date.now() - ready) / 1000));
      }
    },
  });
  new Gauge({
    name: 'closeloop_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'],
    registers: [metrics.registry],
    async collect() {
      for (const queue of queues) {
        const counts = await within(queue.getJobCounts(...QUEUE_STATES));
        if (!counts) continue;
        for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });
}

/**
 * The account's daily API budget as HubSpot's headers last reported it, whether it is spent or
 * down to the reserve, and when it resets (read from Redis at scrape time: every process shares it).
 */
export function watchDailyBudget(
  metrics: { readonly registry: Registry },
  redis: Redis,
  prefix: string,
  timeoutMs = 1000,
): void {
  const read = () =>
    deadline(
      Promise.all([
        redis.get(dailySpentKey(prefix)),
        redis.get(dailyReserveKey(prefix)),
        redis.hmget(dailyBudgetKey(prefix), 'limit', 'remaining'),
      ]),
      timeoutMs,
      () => new Error('timeout'),
    ).catch(() => undefined);
  const registers = [metrics.registry];
  new Gauge({
    name: 'closeloop_hubspot_daily_limit_resets_at_seconds',
    help: "When the account's spent daily API budget resets and closeloop resumes (epoch seconds); 0 while it is not spent",
    registers,
    async collect() {
      const state = await read();
      if (state) this.set(state[0] === null ? 0 : Number(state[0]) / 1000);
    },
  });
  new Gauge({
    name: 'closeloop_background_paused',
    help: '1 while background work (reconcile, backfill) waits for the daily reset: the budget is down to its reserve or spent',
    registers,
    async collect() {
      const state = await read();
      if (state) this.set(state[0] !== null || state[1] !== null ? 1 : 0);
    },
  });
  for (const [name, field, help] of [
    ['closeloop_hubspot_daily_limit', 0, "The account's daily API limit (X-HubSpot-RateLimit-Daily)"],
    [
      'closeloop_hubspot_daily_remaining',
      1,
      'Calls left today (X-HubSpot-RateLimit-Daily-Remaining, last seen)',
    ],
  ] as const) {
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        const value = (await read())?.[2][field];
        if (value !== undefined && value !== null) this.set(Number(value));
      },
    });
  }
}

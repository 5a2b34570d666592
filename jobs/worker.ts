import { DelayedError, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { ZodError } from 'zod';
import type { Config } from '../src/config.ts';
import { DailyLimitError, HubSpotRequestError, RateLimitedError, TransientError } from '../src/errors.ts';
import type { HubSpotHttp } from '../src/hubspot/http.ts';
import type { Logger } from '../src/logger.ts';
import { deliveryJobSchema, QUEUE_NAMES, type QueueName } from '../src/queue.ts';
import { portalKeys } from '../src/store/keys.ts';
import { workSets } from '../src/store/work-sets.ts';
import type { WorkMetrics } from '../src/work-metrics.ts';
import { backfill } from './backfill.ts';
import { type JobContext, ProjectionRebuildingError, portalScope, scheduler } from './context.ts';
import { handleDelivery } from './delivery.ts';
import { type ReconcileReport, reconcileRecent } from './reconcile.ts';
import { reconcileIds } from './reconcile-ids.ts';
import { recordReport } from './report-metrics.ts';
import { score } from './score.ts';
import { statsJob } from './stats.ts';
import { sync } from './sync.ts';
import { writeback } from './writeback.ts';

export interface Workers {
  readonly queues: Readonly<Record<QueueName, Queue>>;
  readonly context: JobContext;
  /** Finishes in-flight jobs, then closes. */
  close(): Promise<void>;
}

/** Exponential from 1 s with ±50 % jitter, never under what the error asks (423: 2 s). */
export function backoffDelay(attemptsMade: number, error?: Error): number {
  const exponential = Math.min(5 * 60_000, 1000 * 2 ** Math.max(0, attemptsMade - 1));
  const jittered = exponential * (0.5 + Math.random());
  return Math.max(jittered, error instanceof TransientError ? error.minDelayMs : 0);
}

/** The one place job errors are mapped: wait without spending an attempt, retry with backoff, or give up. */
async function steer(job: Job, token: string | undefined, error: unknown, logger: Logger): Promise<never> {
  if (error instanceof ProjectionRebuildingError) {
    // However long the rebuild takes: waiting for it is not a failure.
    await job.moveToDelayed(Date.now() + error.minDelayMs, token);
    throw new DelayedError();
  }
  if (error instanceof RateLimitedError || error instanceof DailyLimitError) {
    const until = error instanceof RateLimitedError ? Date.now() + error.waitMs : error.untilMs;
    if (error instanceof DailyLimitError)
      logger.warn({ until: new Date(until).toISOString() }, error.message);
    await job.moveToDelayed(until, token);
    throw new DelayedError();
  }
  if (error instanceof HubSpotRequestError || error instanceof ZodError) {
    throw new UnrecoverableError((error as Error).message);
  }
  throw error;
}

function processor(
  name: QueueName,
  run: (job: Job) => Promise<unknown>,
  logger: Logger,
  metrics: WorkMetrics | undefined,
) {
  return async (job: Job, token?: string) => {
    const started = performance.now();
    const took = (outcome: string) =>
      metrics?.jobDuration.observe({ queue: name, outcome }, (performance.now() - started) / 1000);
    try {
      const report = await run(job);
      took('completed');
      if (report) logger.debug({ job: name, id: job.id, report }, 'job done');
      if (metrics) recordReport(name, report, metrics);
      return report;
    } catch (error) {
      took(error instanceof RateLimitedError || error instanceof DailyLimitError ? 'delayed' : 'failed');
      return steer(job, token, error, logger);
    }
  };
}

/** Runs a reconcile sweep and says what it fixed (the operator's record of what webhooks missed). */
async function reconcile(job: Job, context: JobContext): Promise<ReconcileReport> {
  const scope = await portalScope(context);
  const report =
    job.name === 'ids' ? await reconcileIds(context, scope) : await reconcileRecent(context, scope);
  context.logger.info(
    { sweep: report.sweep, checked: report.checked, fixed: report.fixed, skipped: report.skipped },
    'reconcile',
  );
  return report;
}

export function startWorkers(
  config: Config,
  redis: Redis,
  http: HubSpotHttp,
  logger: Logger,
  now = Date.now,
  metrics?: WorkMetrics,
): Workers {
  const connection = redis;
  const prefix = config.redis.prefix;
  const queues = Object.fromEntries(
    Object.values(QUEUE_NAMES).map((name) => [name, new Queue(name, { connection, prefix })]),
  ) as Record<QueueName, Queue>;
  const context: JobContext = {
    redis,
    http,
    config,
    logger,
    now,
    schedule: scheduler(queues),
  };
  const handlers: Record<QueueName, (job: Job) => Promise<unknown>> = {
    events: (job) => handleDelivery(deliveryJobSchema.parse(job.data), String(job.id), context),
    sync: (job) => sync(String(job.id), context),
    score: (job) => score(String(job.id), context),
    writeback: () => writeback(context),
    stats: () => statsJob(context),
    backfill: (job) => backfill(context, { reason: String(job.data.reason ?? 'requested') }),
    reconcile: (job) => reconcile(job, context),
  };
  const workers = Object.values(QUEUE_NAMES).map((name) => {
    const worker = new Worker(name, processor(name, handlers[name], logger, metrics), {
      connection: redis.duplicate(),
      prefix,
      concurrency: name === 'events' ? 8 : 1,
      settings: { backoffStrategy: (attemptsMade, _type, error) => backoffDelay(attemptsMade, error) },
    });
    worker.on('failed', (job, error) => {
      if (job && metrics) metrics.jobFailures.inc({ queue: name, final: String(isFinal(job, error)) });
      void onFailed(name, job, error, context, logger);
    });
    worker.on('error', (error) => logger.error({ err: error, queue: name }, 'worker error'));
    return worker;
  });
  return {
    queues,
    context,
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
    },
  };
}

function isFinal(job: Job, error: Error): boolean {
  return job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError;
}

/** A job out of attempts puts its taken ids back, so the next run tries them again. */
async function onFailed(
  queue: QueueName,
  job: Job | undefined,
  error: Error,
  context: JobContext,
  logger: Logger,
) {
  if (!job) return;
  const final = isFinal(job, error);
  logger[final ? 'error' : 'warn'](
    { err: error, queue, id: job.id, attempt: job.attemptsMade },
    'job failed',
  );
  if (!final || (queue !== 'sync' && queue !== 'score')) return;
  const portal = Number(job.data?.portal);
  if (!Number.isFinite(portal)) return;
  const sets = workSets(context.redis, portalKeys(context.config.redis.prefix, portal));
  await (queue === 'sync' ? sets.giveBack(String(job.id)) : sets.giveBackRescore(String(job.id)));
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import express from 'express';
import { isWebhookDelivery, WEBHOOK_PATH } from '../webhooks/receiver.ts';
import type { Config } from './config.ts';
import { errorHandler, notFound } from './http/error-handler.ts';
import { liveUpdates } from './http/live-updates.ts';
import { requestLog } from './http/request-log.ts';
import { requestMetrics } from './http/request-metrics.ts';
import type { Logger } from './logger.ts';
import { createMetrics, watchDailyBudget, watchQueueDepth } from './metrics.ts';
import { QUEUE_NAMES } from './queue.ts';
import { connectRedis, waitForRedis } from './redis.ts';
import { mountRoutes, webhookEntry } from './serve-routes.ts';

export interface ShutdownOptions {
  /** How long `/readyz` fails before the listener closes, so load balancers stop sending first. */
  readonly drainMs?: number;
  /** Longest wait for in-flight requests after the listener closed; then connections are cut. */
  readonly timeoutMs?: number;
}

export interface RunningServer {
  readonly url: string;
  /** Readiness fails first, then the listener closes and in-flight requests finish. */
  close(options?: ShutdownOptions): Promise<void>;
}

const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/** `closeloop serve`: webhooks, health and metrics over HTTP. */
export async function startServer(
  config: Config,
  logger: Logger,
  now: () => number = Date.now,
): Promise<RunningServer> {
  const { clientSecret } = config.hubspot;
  const { publicBaseUrl } = config;
  if (!clientSecret || !publicBaseUrl)
    throw new Error('serve needs HUBSPOT_CLIENT_SECRET and PUBLIC_BASE_URL');
  const redis = connectRedis(config.redis, 'web');
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const queue = new Queue(QUEUE_NAMES.events, { connection: redis, prefix: config.redis.prefix });
  queue.on('error', (error) => logger.warn({ err: error }, 'queue error'));
  // The other queues only for the board at /admin/queues: serve adds no jobs to them.
  const boardQueues = Object.values(QUEUE_NAMES)
    .filter((name) => name !== QUEUE_NAMES.events)
    .map((name) => new Queue(name, { connection: redis, prefix: config.redis.prefix }));
  for (const boardQueue of boardQueues)
    boardQueue.on('error', (error) => logger.warn({ err: error }, 'queue error'));
  const metrics = createMetrics();
  watchQueueDepth(metrics, [queue]);
  watchDailyBudget(metrics, redis, config.redis.prefix);
  let accepting = true;

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(requestLog({ logger, quietPaths: QUIET_ROUTES, busyPaths: new Set([WEBHOOK_PATH]) }));
  app.use(requestMetrics(metrics));
  // While draining, every answer tells keep-alive clients to reconnect (to a process that stays).
  app.use((_req, res, next) => {
    if (!accepting) res.setHeader('connection', 'close');
    next();
  });
  const live = liveUpdates(redis, config.redis.prefix, logger);
  const deps = {
    config: { ...config, publicBaseUrl, hubspot: { ...config.hubspot, clientSecret } },
    redis,
    queue,
    queues: [queue, ...boardQueues],
    metrics,
    live,
    accepting: () => accepting,
    logger,
    now,
  };
  const webhooks = webhookEntry(deps);
  mountRoutes(app, deps);
  app.use(notFound);
  app.use(errorHandler);

  // Start even when Redis is away (webhooks get 503 and HubSpot retries), but give it a moment.
  await waitForRedis(redis, 3000).catch((error: unknown) =>
    logger.warn({ err: error }, 'starting without Redis'),
  );
  const server = await listen(
    createServer((req, res) => (isWebhookDelivery(req) ? webhooks(req, res) : app(req, res))),
    config.port,
  );
  const { port } = server.address() as AddressInfo;
  logger.info({ port }, 'closeloop serve listening');

  return {
    url: `http://127.0.0.1:${port}`,
    async close(options = {}) {
      accepting = false;
      logger.info({ drainMs: options.drainMs ?? 0 }, 'draining: readiness fails, requests still served');
      if (options.drainMs) await sleep(options.drainMs);
      // Event streams never end on their own: end them first, or the listener waits for them forever.
      await live.close();
      await closeListener(server, options.timeoutMs ?? 30_000, logger);
      await Promise.all([queue, ...boardQueues].map((q) => q.close()));
      redis.disconnect();
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Stops accepting connections and waits for in-flight requests, cutting what is left after the timeout. */
async function closeListener(server: Server, timeoutMs: number, logger: Logger): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  if ((await Promise.race([closed, timedOut])) === 'timeout') {
    logger.warn({ timeoutMs }, 'requests still running at the shutdown timeout: closing their connections');
    server.closeAllConnections();
    await closed;
  }
  clearTimeout(timer);
}

function listen(server: Server, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

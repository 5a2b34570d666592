import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import express from 'express';
import { pinoHttp } from 'pino-http';
import { createInbox } from '../webhooks/inbox.ts';
import { webhookRouter } from '../webhooks/router.ts';
import type { Config } from './config.ts';
import { UnavailableError } from './errors.ts';
import { apiRouter } from './http/api.ts';
import { requireToken } from './http/auth.ts';
import { errorHandler, notFound } from './http/error-handler.ts';
import { healthRouter } from './http/health.ts';
import { metricsRouter } from './http/metrics-route.ts';
import { requestMetrics } from './http/request-metrics.ts';
import type { Logger } from './logger.ts';
import { createMetrics, watchDailyBudget, watchQueueDepth } from './metrics.ts';
import { QUEUE_NAMES } from './queue.ts';
import { connectRedis, waitForRedis } from './redis.ts';
import { calibration } from './store/calibration-cache.ts';
import { reportSource } from './store/report-source.ts';
import { saveCampaignSpend } from './store/spend.ts';

export interface RunningServer {
  readonly url: string;
  /** Readiness fails first, then the listener closes and in-flight requests finish. */
  close(): Promise<void>;
}

const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/** `closeloop serve`: webhooks, health and metrics over HTTP. */
export async function startServer(
  config: Config,
  logger: Logger,
  now: () => number = Date.now,
): Promise<RunningServer> {
  if (!config.hubspot.clientSecret || !config.publicBaseUrl) {
    throw new Error('serve needs HUBSPOT_CLIENT_SECRET and PUBLIC_BASE_URL');
  }
  const redis = connectRedis(config.redis.url, 'web');
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const queue = new Queue(QUEUE_NAMES.events, { connection: redis, prefix: config.redis.prefix });
  queue.on('error', (error) => logger.warn({ err: error }, 'queue error'));
  const metrics = createMetrics();
  watchQueueDepth(metrics, [queue]);
  watchDailyBudget(metrics, redis, config.redis.prefix);
  let accepting = true;

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => QUIET_ROUTES.has(req.url ?? '') },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    }),
  );
  app.use(requestMetrics(metrics));
  app.use(
    webhookRouter({
      inbox: createInbox({
        queue,
        redis,
        prefix: config.redis.prefix,
        dedupeWindowSeconds: config.webhooks.dedupeWindowSeconds,
        timeoutMs: config.webhooks.redisTimeoutMs,
        now,
      }),
      clientSecret: config.hubspot.clientSecret,
      publicBaseUrl: config.publicBaseUrl,
      acceptLegacySignatures: config.webhooks.legacySignatures,
      tracked: config.metrics,
      metrics,
      now,
    }),
  );
  app.use(healthRouter({ redis, accepting: () => accepting }));
  // Everything but webhooks (signed) and health (probes) needs the dashboard token when it is set.
  app.use(['/api', '/metrics'], requireToken(config.dashboardToken));
  app.use(
    apiRouter({
      source: (cohort) =>
        reportSource(redis, config.redis.prefix, cohort, now(), config.metrics.closeHorizonDays),
      calibration: () => calibration(redis, config.redis.prefix, now(), config.metrics.closeHorizonDays),
      saveSpend: async (campaign, periods) => {
        if (!(await saveCampaignSpend(redis, config.redis.prefix, campaign, periods))) {
          throw new UnavailableError('The portal is not set up yet: run `closeloop setup`');
        }
      },
      horizonDays: config.metrics.closeHorizonDays,
      now,
    }),
  );
  app.use(metricsRouter(metrics));
  app.use(notFound);
  app.use(errorHandler);

  // Start even when Redis is away (webhooks get 503 and HubSpot retries), but give it a moment.
  await waitForRedis(redis, 3000).catch((error: unknown) =>
    logger.warn({ err: error }, 'starting without Redis'),
  );
  const server = await listen(app, config.port);
  const { port } = server.address() as AddressInfo;
  logger.info({ port }, 'closeloop serve listening');

  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      accepting = false;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await queue.close();
      redis.disconnect();
    },
  };
}

function listen(app: express.Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

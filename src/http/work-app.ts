import express from 'express';
import type { Redis } from 'ioredis';
import { pinoHttp } from 'pino-http';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.ts';
import { requireToken } from './auth.ts';
import { errorHandler, notFound } from './error-handler.ts';
import { healthRouter } from './health.ts';
import { metricsRouter } from './metrics-route.ts';

export interface WorkAppOptions {
  readonly redis: Redis;
  readonly registry: Registry;
  readonly logger: Logger;
  /** When set, `/metrics` wants it as a bearer token, as on `serve`. */
  readonly token: string | undefined;
  /** False once shutdown has begun. */
  readonly accepting: () => boolean;
}

/** What `work` answers over HTTP: probes for the orchestrator and metrics for Prometheus. */
export function workApp(options: WorkAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(pinoHttp({ logger: options.logger, autoLogging: false }));
  app.use(healthRouter({ redis: options.redis, accepting: options.accepting }));
  app.use('/metrics', requireToken(options.token));
  app.use(metricsRouter({ registry: options.registry }));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}

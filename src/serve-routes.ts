import type { Queue } from 'bullmq';
import type express from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import { createInbox } from '../webhooks/inbox.ts';
import { webhookReceiver } from '../webhooks/receiver.ts';
import type { Config } from './config.ts';
import { UnavailableError } from './errors.ts';
import { adminQueuesRouter } from './http/admin-queues.ts';
import { apiRouter } from './http/api.ts';
import { cardApiRouter } from './http/card-api.ts';
import { dashboardRouter } from './http/dashboard/dashboard-router.ts';
import { healthRouter } from './http/health.ts';
import type { LiveUpdates } from './http/live-updates.ts';
import { metricsRouter } from './http/metrics-route.ts';
import { recordsApiRouter } from './http/records-api.ts';
import { requireSession, sessionRouter } from './http/session.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { calibration } from './store/calibration-cache.ts';
import { reportSource } from './store/report-source.ts';
import { loadCampaignSpend, saveCampaignSpend } from './store/spend.ts';

export interface RouteDeps {
  readonly config: Config & { publicBaseUrl: string; hubspot: Config['hubspot'] & { clientSecret: string } };
  readonly redis: Redis;
  readonly queue: Queue;
  /** Every closeloop queue (the events queue among them), shown on the board at `/admin/queues`. */
  readonly queues: readonly Queue[];
  readonly metrics: Metrics;
  readonly live: LiveUpdates;
  readonly accepting: () => boolean;
  readonly logger: Logger;
  readonly now: () => number;
}

/**
 * The webhook receiver: a node:http handler that `serve` puts ahead of the app (HubSpot's
 * signature is its authentication).
 */
export function webhookEntry(deps: RouteDeps) {
  const { config, now } = deps;
  const inbox = createInbox({
    queue: deps.queue,
    dedupeWindowSeconds: config.webhooks.dedupeWindowSeconds,
    timeoutMs: config.webhooks.redisTimeoutMs,
    now,
  });
  return webhookReceiver({
    inbox,
    clientSecret: config.hubspot.clientSecret,
    publicBaseUrl: config.publicBaseUrl,
    acceptLegacySignatures: config.webhooks.legacySignatures,
    tracked: config.metrics,
    metrics: deps.metrics,
    logger: deps.logger,
    accepting: deps.accepting,
    now,
  });
}

/**
 * Every other door of `serve`, in order: health first (no authentication), the rep's card
 * (HubSpot's signature), then the dashboard and everything else behind the dashboard token. The
 * queue board comes before the app's helmet: it sets its own CSP.
 */
export function mountRoutes(app: express.Express, deps: RouteDeps): void {
  const { config, redis, now } = deps;
  const prefix = config.redis.prefix;
  const horizonDays = config.metrics.closeHorizonDays;
  app.use(healthRouter({ redis, accepting: deps.accepting }));
  app.use(
    cardApiRouter({
      redis,
      prefix,
      horizonDays,
      clientSecret: config.hubspot.clientSecret,
      publicBaseUrl: config.publicBaseUrl,
      now,
    }),
  );
  app.use(
    adminQueuesRouter({
      queues: deps.queues,
      token: config.dashboardToken,
      publicBaseUrl: config.publicBaseUrl,
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'connect-src': ["'self'"] },
      },
    }),
  );
  app.use(sessionRouter(config.dashboardToken, config.publicBaseUrl.startsWith('https://')));
  app.use(dashboardRouter(config.dashboardToken));
  app.use(['/api', '/metrics'], requireSession(config.dashboardToken, { loginRedirect: false }));
  app.use(deps.live.router);
  app.use(recordsApiRouter({ redis, prefix, horizonDays, now }));
  app.use(
    apiRouter({
      source: (cohort) => reportSource(redis, prefix, cohort, now(), horizonDays),
      calibration: () => calibration(redis, prefix, now(), horizonDays),
      loadSpend: (campaign) => loadCampaignSpend(redis, prefix, campaign),
      saveSpend: async (campaign, periods) => {
        if (!(await saveCampaignSpend(redis, prefix, campaign, periods)))
          throw new UnavailableError('The portal is not set up yet: run `closeloop setup`');
      },
      horizonDays,
      now,
    }),
  );
  app.use(metricsRouter(deps.metrics));
}

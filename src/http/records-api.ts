import { Router } from 'express';
import type { Redis } from 'ioredis';
import { NotFoundError, UnavailableError } from '../errors.ts';
import { campaignLeads } from '../store/lead-details.ts';
import { liveProjection } from '../store/live.ts';

export interface RecordsApiOptions {
  readonly redis: Redis;
  readonly prefix: string;
  readonly horizonDays: number;
  readonly now: () => number;
}

/** The portal's details the dashboard needs, and a campaign's open leads with their scores. */
export function recordsApiRouter(options: RecordsApiOptions): Router {
  const router = Router();
  const live = async () => {
    const found = await liveProjection(options.redis, options.prefix);
    if (!found) throw new UnavailableError('No figures yet: run `closeloop setup` and `closeloop backfill`');
    return found;
  };
  router.get('/api/portal', async (_req, res) => {
    const { portal } = await live();
    const { portalId, uiDomain, currency, timeZone } = portal;
    res.json({ portalId, uiDomain, currency, timeZone, horizonDays: options.horizonDays });
  });
  router.get('/api/campaigns/:campaign/leads', async (req, res) => {
    const found = await campaignLeads(
      options.redis,
      await live(),
      req.params.campaign,
      options.horizonDays,
      options.now(),
    );
    if (!found) throw new NotFoundError('No such campaign');
    res.json(found);
  });
  return router;
}

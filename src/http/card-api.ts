import { type Request, Router } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { BadRequestError, NotFoundError, UnavailableError } from '../errors.ts';
import { verifyV3 } from '../hubspot/signature.ts';
import { leadDetail } from '../store/lead-details.ts';
import { liveProjection } from '../store/live.ts';
import { reportSource } from '../store/report-source.ts';
import { campaignRows } from './campaign-json.ts';

export interface CardApiOptions {
  readonly redis: Redis;
  readonly prefix: string;
  readonly horizonDays: number;
  readonly clientSecret: string | undefined;
  readonly publicBaseUrl: string | undefined;
  readonly now: () => number;
}

const paramsSchema = z.object({ type: z.enum(['contacts', 'deals']), id: z.string().regex(/^\d{1,20}$/) });

/** HubSpot signs the card's `hubspot.fetch` requests with the app's client secret (v3). */
function verified(req: Request, options: CardApiOptions): void {
  if (!options.clientSecret || !options.publicBaseUrl)
    throw new UnavailableError('The card needs HUBSPOT_CLIENT_SECRET and PUBLIC_BASE_URL');
  verifyV3(
    {
      method: req.method,
      uri: `${options.publicBaseUrl}${req.originalUrl}`,
      rawBody: Buffer.alloc(0),
      headers: req.headers,
    },
    options.clientSecret,
    options.now(),
  );
}

/**
 * What the rep's card on a contact or deal record shows: the lead's score and reason, and its
 * campaign's figures. Authenticated by HubSpot's signature, not the dashboard token.
 */
export function cardApiRouter(options: CardApiOptions): Router {
  const router = Router();
  router.get('/api/card/:type/:id', async (req, res) => {
    verified(req, options);
    const params = paramsSchema.safeParse(req.params);
    if (!params.success)
      throw new BadRequestError('Expected /api/card/contacts/{id} or /api/card/deals/{id}');
    const { type, id } = params.data;
    const live = await liveProjection(options.redis, options.prefix);
    if (!live) throw new UnavailableError('No figures yet');
    const lead =
      type === 'contacts'
        ? await leadDetail(options.redis, live, id, options.horizonDays, options.now())
        : undefined;
    const key =
      type === 'contacts'
        ? (await live.view.leads([id])).get(id)?.campaign
        : (await live.view.dealCampaigns([id])).get(id);
    if (!key) throw new NotFoundError('closeloop has no figures for this record');
    const source = await reportSource(options.redis, options.prefix, {}, options.now(), options.horizonDays);
    const row =
      source && campaignRows(source, {}, options.horizonDays).find((campaign) => campaign.campaign === key);
    const campaign = row && {
      key: row.campaign,
      name: row.name,
      leads: row.leads,
      closeRateAtHorizon: row.closeRateAtHorizon,
      leadToClose: row.leadToClose,
      alignmentIndex: row.alignmentIndex,
    };
    res.json({
      record: { type, id },
      lead: lead ? { status: lead.status, score: lead.score, grade: lead.grade, reason: lead.reason } : null,
      campaign: campaign ?? null,
    });
  });
  return router;
}

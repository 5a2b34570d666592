import express, { type Request, type Response, Router } from 'express';
import { BadRequestError, UnsupportedMediaTypeError } from '../src/errors.ts';
import { verifyHubSpotSignature } from '../src/hubspot/signature.ts';
import type { TrackedPropertySettings } from '../src/hubspot/tracked-properties.ts';
import type { Metrics } from '../src/metrics.ts';
import { parseDelivery } from './events.ts';
import type { Inbox } from './inbox.ts';

export const WEBHOOK_PATH = '/webhooks/hubspot';
export const MAX_BODY_BYTES = 1024 * 1024;

export interface WebhookRouterOptions {
  readonly inbox: Inbox;
  readonly clientSecret: string;
  /** The public base URL HubSpot calls; the signed URI is this plus the request's original path. */
  readonly publicBaseUrl: string;
  readonly acceptLegacySignatures: boolean;
  readonly tracked: TrackedPropertySettings;
  readonly metrics: Metrics;
  readonly now: () => number;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadRequestError('Body is not valid JSON');
  }
}

/**
 * The receiver: verify → parse → filter → enqueue → 204. It never calls HubSpot and never waits
 * on a job; the only I/O is the inbox's bounded Redis round trips.
 */
export function webhookRouter(options: WebhookRouterOptions): Router {
  const { inbox, metrics } = options;
  const router = Router();
  const rawBody = express.raw({ type: () => true, limit: MAX_BODY_BYTES, inflate: false });

  router.post(WEBHOOK_PATH, rawBody, async (req: Request, res: Response) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    verifyHubSpotSignature(
      {
        method: req.method,
        uri: `${options.publicBaseUrl}${req.originalUrl}`,
        rawBody: body,
        headers: req.headers,
      },
      { secret: options.clientSecret, nowMs: options.now(), acceptLegacy: options.acceptLegacySignatures },
    );
    if (!req.is('application/json'))
      throw new UnsupportedMediaTypeError('Expected Content-Type: application/json');
    const { accepted, received } = parseDelivery(parseJson(body), options.tracked);
    const stop = metrics.enqueueSeconds.startTimer();
    const result = await inbox.accept(accepted);
    stop();
    metrics.webhookEvents.inc({ outcome: 'enqueued' }, result.enqueued);
    metrics.webhookEvents.inc({ outcome: 'duplicate' }, result.duplicates);
    metrics.webhookEvents.inc({ outcome: 'ignored' }, received - accepted.length);
    const now = options.now();
    for (const { change } of accepted) metrics.webhookLag.observe(Math.max(0, (now - change.at) / 1000));
    req.log.debug({ received, enqueued: result.enqueued, jobId: result.jobId }, 'webhook delivery');
    res.status(204).end();
  });
  return router;
}

import type { WebhookEvent } from './webhook-events.ts';
import { signatureV1, signatureV3 } from './webhook-signer.ts';

export const HUBSPOT_USER_AGENT =
  'HubSpot Connect 2.0 (http://dev.hubspot.com/) - WebhooksExecutorDaemon-executor';

export type DeliveryTarget = { url: string; secret: string; timeoutMs: number };

/**
 * POSTs one batch, signed like HubSpot: v3 headers plus the older v1 pair. The timestamp is real
 * wall-clock time (receivers compare it with their own clock), not the sandbox clock.
 */
export async function postEvents(
  target: DeliveryTarget,
  events: WebhookEvent[],
  attempt: number,
  signal: AbortSignal,
): Promise<boolean> {
  const body = JSON.stringify(events.map((e) => ({ ...e, attemptNumber: attempt })));
  const timestamp = String(Date.now());
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      body,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': HUBSPOT_USER_AGENT,
        'X-HubSpot-Signature-v3': signatureV3(target.secret, 'POST', target.url, body, timestamp),
        'X-HubSpot-Request-Timestamp': timestamp,
        'X-HubSpot-Signature': signatureV1(target.secret, body),
        'X-HubSpot-Signature-Version': 'v1',
      },
      signal: AbortSignal.any([signal, AbortSignal.timeout(target.timeoutMs)]),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** HubSpot spreads its 10 retries over about a day; the scale option shrinks this for tests. */
const RETRY_DELAYS_MS = [60e3, 120e3, 300e3, 600e3, 1_200e3, 2_400e3, 4_800e3, 9_600e3, 19_200e3, 38_400e3];

export function retryDelay(attempt: number, scale: number, jitter: number): number {
  const base = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)] as number;
  return Math.round(base * scale * (0.8 + 0.4 * jitter));
}

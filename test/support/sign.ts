import { createHmac } from 'node:crypto';

/** HubSpot's v3 recipe, written independently of webhooks/signature.ts. */
export function hubspotV3Headers(secret: string, url: string, body: string, timestamp = Date.now()) {
  const signature = createHmac('sha256', secret)
    .update(`POST${url}${body}${timestamp}`, 'utf8')
    .digest('base64');
  return {
    'content-type': 'application/json',
    'x-hubspot-signature-v3': signature,
    'x-hubspot-request-timestamp': String(timestamp),
  };
}

/** The headers HubSpot adds to a card's signed `hubspot.fetch` GET (v3, empty body). */
export function hubspotV3GetHeaders(secret: string, url: string, timestamp = Date.now()) {
  const signature = createHmac('sha256', secret).update(`GET${url}${timestamp}`, 'utf8').digest('base64');
  return { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) };
}

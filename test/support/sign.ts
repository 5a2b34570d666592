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

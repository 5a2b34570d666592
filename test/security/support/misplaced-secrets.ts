import type { Canaries } from './canaries.ts';
import { call, type HttpCall } from './http-client.ts';
import { signV3, WEBHOOK_PATH } from './webhook-client.ts';

const json = 'application/json';

/**
 * Requests that carry the secrets where they do not belong: as the signature itself, in headers
 * a proxy or a mistaken client adds, in the query, the path and the body. None is valid; each
 * is answered and logged, and the logs must hold none of the secrets.
 */
export function misplacedSecrets(canaries: Canaries, publicBaseUrl: string): HttpCall[] {
  const { HUBSPOT_ACCESS_TOKEN: token, HUBSPOT_CLIENT_SECRET: secret, DASHBOARD_TOKEN: dashboard } = canaries;
  const now = String(Date.now());
  const body = JSON.stringify([{ eventId: 1, portalId: 1, subscriptionType: 'object.creation', secret }]);
  const post = (path: string, headers: Record<string, string>, text = body): HttpCall => ({
    method: 'POST',
    path,
    headers: { 'content-type': json, ...headers },
    body: text,
  });
  // Signed for another URL: the signature is right in form, wrong for where it arrives.
  const elsewhere = signV3(secret, 'POST', `${publicBaseUrl}/elsewhere`, Buffer.from(body), now);
  return [
    post(WEBHOOK_PATH, { 'x-hubspot-signature-v3': secret, 'x-hubspot-request-timestamp': now }),
    post(WEBHOOK_PATH, { 'x-hubspot-signature': secret, 'x-hubspot-signature-version': 'v1' }),
    post(WEBHOOK_PATH, { 'x-hubspot-signature-v3': elsewhere, 'x-hubspot-request-timestamp': now }),
    post(WEBHOOK_PATH, { 'x-hubspot-signature-v3': token, 'x-hubspot-request-timestamp': secret }),
    post(WEBHOOK_PATH, { authorization: `Bearer ${token}` }),
    post(WEBHOOK_PATH, { authorization: `Basic ${Buffer.from(`app:${secret}`).toString('base64')}` }),
    post(WEBHOOK_PATH, { cookie: `closeloop_session=${encodeURIComponent(dashboard)}; hs=${secret}` }),
    post(WEBHOOK_PATH, { 'x-api-key': secret, 'x-hubspot-client-secret': secret, 'x-access-token': token }),
    post(`${WEBHOOK_PATH}?secret=${secret}&token=${encodeURIComponent(token)}`, {}),
    post(`${WEBHOOK_PATH}/${secret}`, {}),
    post(WEBHOOK_PATH, { 'content-type': 'application/x-www-form-urlencoded' }, `client_secret=${secret}`),
    post(
      WEBHOOK_PATH,
      { 'x-hubspot-signature-v3': 'x', 'x-hubspot-request-timestamp': now },
      `{"token":"${token}"`,
    ),
    { path: `/api/campaigns?token=${encodeURIComponent(dashboard)}`, headers: { 'x-api-key': dashboard } },
    { path: '/api/campaigns', headers: { authorization: `Bearer ${dashboard}x` } },
    { path: '/api/campaigns', headers: { authorization: `Bearer ${dashboard}` } },
    {
      path: `/api/card/contacts/1?token=${encodeURIComponent(token)}`,
      headers: { authorization: `Bearer ${token}` },
    },
    {
      method: 'POST',
      path: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: `${dashboard}x`, next: `/?secret=${secret}` }).toString(),
    },
    { path: `/login?next=${encodeURIComponent(`/campaigns/${dashboard}`)}` },
    { path: `/${encodeURIComponent(dashboard)}`, headers: { authorization: `Bearer ${dashboard}` } },
  ];
}

/** Sends each request once; their statuses, so the test knows they were answered. */
export async function sendAll(baseUrl: string, calls: readonly HttpCall[]): Promise<number[]> {
  const statuses: number[] = [];
  for (const request of calls) statuses.push((await call(baseUrl, request)).status);
  return statuses;
}

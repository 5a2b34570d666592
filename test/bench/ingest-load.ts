import { createHmac } from 'node:crypto';
import autocannon from 'autocannon';

/** The webhook signing secret and the public base URL both receivers are given. */
export const SECRET = 'bench-client-secret';
export const BASE = 'https://closeloop.bench';

let eventId = 1;
/** Deliveries of property-change events, signed (v3) ahead of the load so signing costs the load nothing. */
function signedDeliveries(count: number, eventsPerDelivery: number) {
  const now = Date.now();
  return Array.from({ length: count }, () => {
    const events = Array.from({ length: eventsPerDelivery }, () => {
      const id = eventId++;
      return {
        eventId: id,
        subscriptionId: 1,
        portalId: 62515,
        appId: 1,
        occurredAt: now,
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-1',
        objectId: 1 + (id % 50_000),
        propertyName: 'lifecyclestage',
        propertyValue: 'lead',
        attemptNumber: 0,
        changeSource: 'CRM_UI',
      };
    });
    const body = JSON.stringify(events);
    const timestamp = String(now);
    const signature = createHmac('sha256', SECRET)
      .update(`POST${BASE}/webhooks/hubspot${body}${timestamp}`)
      .digest('base64');
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': signature,
        'x-hubspot-request-timestamp': timestamp,
      },
    };
  });
}

/** Autocannon's load of pre-signed deliveries for `seconds`, at most `overallRate` requests/s if given. */
export async function load(
  url: string,
  eventsPerDelivery: number,
  seconds: number,
  connections: number,
  overallRate?: number,
) {
  const pool = signedDeliveries(Math.ceil((seconds * 30_000) / eventsPerDelivery) + 1000, eventsPerDelivery);
  let next = 0;
  return autocannon({
    url: `${url}/webhooks/hubspot`,
    connections,
    duration: seconds,
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const delivery = pool[next++ % pool.length];
          return { ...request, body: delivery?.body, headers: delivery?.headers };
        },
      },
    ],
  });
}

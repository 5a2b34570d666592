import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Loop, startLoop } from '../support/loop-harness.ts';
import { uniquePrefix } from '../support/redis.ts';
import { hubspotV3GetHeaders } from '../support/sign.ts';

// webinar: 10 leads from March, lead 1 won a deal; lead 11 has no campaign; deal 950 is lead 1's.
function portal() {
  const contact = (id: number, campaign?: string) => ({
    id: String(id),
    properties: {
      email: `c${id}@example.com`,
      createdate: '2026-03-01T09:00:00.000Z',
      ...(campaign ? { hs_analytics_source: 'PAID_SEARCH', hs_analytics_source_data_1: campaign } : {}),
    },
  });
  return {
    contacts: [...Array.from({ length: 10 }, (_, i) => contact(i + 1, 'webinar')), contact(11)],
    deals: [
      {
        id: '950',
        properties: {
          dealname: 'Won',
          pipeline: 'default',
          dealstage: 'closedwon',
          amount: '900',
          createdate: '2026-03-05T09:00:00.000Z',
          closedate: '2026-03-20T09:00:00.000Z',
        },
      },
    ],
    associations: [{ contactId: '1', dealId: '950' }],
  };
}

describe("the rep's card API", () => {
  let loop: Loop;
  const secret = () => loop.config.hubspot.clientSecret as string;
  const signed = (path: string, key = secret()) => {
    const url = `${loop.config.publicBaseUrl}${path}`;
    return fetch(`${loop.server.url}${path}`, { headers: hubspotV3GetHeaders(key, url) });
  };

  beforeAll(async () => {
    loop = await startLoop(uniquePrefix(import.meta.filename));
    await loop.admin('/__sandbox/seed', portal());
    await loop.backfill();
    await loop.settle();
  }, 60_000);
  afterAll(async () => {
    await loop?.stop();
  });

  it('gives a contact its lead score, reason and campaign figures', async () => {
    const response = await signed('/api/card/contacts/5');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      record: unknown;
      lead: Record<string, unknown>;
      campaign: Record<string, unknown>;
    };
    expect(body.record).toEqual({ type: 'contacts', id: '5' });
    expect(body.lead).toMatchObject({
      status: 'open',
      grade: expect.stringMatching(/^[A-D]$/),
      reason: expect.stringContaining('webinar leads close about 10 %'),
    });
    expect(body.campaign).toMatchObject({
      key: 'webinar',
      name: 'webinar',
      leads: 10,
      alignmentIndex: expect.any(Number),
    });
    expect((body.campaign.closeRateAtHorizon as { rate: number }).rate).toBeCloseTo(0.1, 10);
  });

  it('gives a deal its campaign and no lead block', async () => {
    const body = (await (await signed('/api/card/deals/950')).json()) as {
      lead: unknown;
      campaign: { key: string };
    };
    expect(body.lead).toBeNull();
    expect(body.campaign.key).toBe('webinar');
  });

  it('accepts the query string HubSpot may append, signed with it', async () => {
    expect((await signed('/api/card/contacts/5?portalId=24681357&userId=7')).status).toBe(200);
  });

  it.each([
    ['no signature', () => fetch(`${loop.server.url}/api/card/contacts/5`), 401],
    ['the wrong secret', () => signed('/api/card/contacts/5', 'another-secret-1234'), 401],
    ['an unknown object type', () => signed('/api/card/companies/5'), 400],
    ['a record closeloop has no figures for', () => signed('/api/card/contacts/999999'), 404],
  ])('answers %s with %i', async (_name, call, status) => {
    expect((await call()).status).toBe(status);
  });

  it('is not reachable with the dashboard token alone: only HubSpot signs it', async () => {
    const response = await fetch(`${loop.server.url}/api/card/contacts/5`, {
      headers: { authorization: 'Bearer whatever-token-1234' },
    });
    expect(response.status).toBe(401);
  });
});

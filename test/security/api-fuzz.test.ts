import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSpendBody } from '../../src/spend-input.ts';
import { type Loop, startLoop } from '../support/loop-harness.ts';
import { uniquePrefix } from '../support/redis.ts';
import { hubspotV3GetHeaders } from '../support/sign.ts';
import {
  anyName,
  cohortQuery,
  encodeSegment,
  encodings,
  ODD_CAMPAIGNS,
  spendBody,
} from './support/api-arbitraries.ts';
import { configureFuzzing, FUZZ_TIMEOUT_MS } from './support/fuzz-settings.ts';
import { call, type HttpAnswer, isJsonError, isParserRefusal, sendablePath } from './support/http-client.ts';

const TOKEN = 'api-fuzz-dashboard-token-93b1';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const DAY = 86_400_000;

// Three leads in each odd campaign, one won deal in the first; all leads open long enough to score.
function portal() {
  const contacts = ODD_CAMPAIGNS.flatMap((campaign, c) =>
    [0, 1, 2].map((i) => ({
      id: String(100 * (c + 1) + i),
      properties: {
        email: `lead${c}-${i}@example.com`,
        createdate: '2026-03-01T09:00:00.000Z',
        hs_analytics_source: 'PAID_SEARCH',
        hs_analytics_source_data_1: campaign,
      },
    })),
  );
  const deal = {
    id: '900',
    properties: {
      dealname: 'D',
      pipeline: 'default',
      dealstage: 'closedwon',
      amount: '500',
      createdate: '2026-04-01T09:00:00.000Z',
      closedate: '2026-05-01T09:00:00.000Z',
    },
  };
  return { contacts, deals: [deal], associations: [{ contactId: '100', dealId: '900' }] };
}

/** What `GET …/spend` shows for a body the parser accepts. */
const shownAs = (body: unknown) =>
  parseSpendBody(body).map((period) => ({
    from: new Date(period.from).toISOString().slice(0, 10),
    to: new Date(period.to - DAY).toISOString().slice(0, 10),
    amount: period.amount,
  }));

function expectNoServerError(answer: HttpAnswer, options = { behindHelmet: true }) {
  expect(answer.status, answer.text).toBeLessThan(500);
  if (answer.status >= 400 && !isParserRefusal(answer))
    expect(isJsonError(answer, options), answer.text).toBe(true);
  expect(String(answer.headers['content-type'])).not.toMatch(/html/);
}

configureFuzzing();

describe('every API parameter under fuzzing', { timeout: FUZZ_TIMEOUT_MS }, () => {
  let loop: Loop;
  let names: string[];
  const get = (path: string, headers: Record<string, string> = AUTH) =>
    call(loop.server.url, { path: sendablePath(path), headers });

  beforeAll(async () => {
    loop = await startLoop(uniquePrefix(import.meta.filename), {}, { env: { DASHBOARD_TOKEN: TOKEN } });
    await loop.admin('/__sandbox/seed', portal());
    await loop.backfill();
    await loop.settle();
    names = (await loop.campaigns()).map((row) => row.campaign);
  }, 60_000);
  afterAll(async () => {
    await loop?.stop();
  });

  it('keeps every odd campaign name as it is in HubSpot', () => {
    expect(names.sort()).toEqual([...ODD_CAMPAIGNS].sort());
  });

  it('answers any cohort query 200 or a clear 400, for the table, the CSV and a campaign', async () => {
    const path = fc.constantFrom(
      '/api/campaigns',
      '/api/campaigns.csv',
      `/api/campaigns/${encodeURIComponent(ODD_CAMPAIGNS[1] as string)}`,
    );
    await fc.assert(
      fc.asyncProperty(path, cohortQuery, async (base, query) => {
        const answer = await get(`${base}${query}`);
        expectNoServerError(answer);
        // A campaign without leads in the cohort is not in it: 404.
        expect(base.startsWith('/api/campaigns/') ? [200, 400, 404] : [200, 400]).toContain(answer.status);
        if (answer.status === 200)
          expect(String(answer.headers['content-type'])).toMatch(/^(application\/json|text\/csv)/);
      }),
      { numRuns: 150 },
    );
  });

  it('answers any campaign name 200 with that campaign, or a clear 400 or 404, on every campaign route', async () => {
    const route = fc.constantFrom('', '/leads', '/spend');
    await fc.assert(
      fc.asyncProperty(anyName, encodings, route, async (name, how, rest) => {
        const answer = await get(`/api/campaigns/${encodeSegment(name, how)}${rest}`);
        expectNoServerError(answer);
        expect([200, 400, 404]).toContain(answer.status);
        if (answer.status === 200 && rest === '' && how === 'escaped' && name !== '')
          expect((JSON.parse(answer.text) as { campaign: string }).campaign).toBe(name);
      }),
      { numRuns: 200 },
    );
  });

  it('applies a spend body whole or not at all, answering 204 or a clear 400', async () => {
    const campaign = fc.oneof(fc.constantFrom(...ODD_CAMPAIGNS), fc.string({ minLength: 1, maxLength: 30 }));
    await fc.assert(
      fc.asyncProperty(campaign, spendBody, async (name, body) => {
        const path = `/api/campaigns/${encodeURIComponent(name)}/spend`;
        const before = JSON.parse((await get(path)).text) as unknown;
        const headers: Record<string, string> = {
          ...AUTH,
          ...(body.contentType ? { 'content-type': body.contentType } : {}),
        };
        const answer = await call(loop.server.url, { method: 'PUT', path, headers, body: body.text });
        expectNoServerError(answer);
        expect([204, 400]).toContain(answer.status);
        const after = JSON.parse((await get(path)).text) as unknown;
        if (answer.status === 400) expect(after).toEqual(before);
        else expect(after).toEqual(shownAs(JSON.parse(body.text)));
        if (answer.status === 400) expect(answer.text).not.toContain('<b>');
      }),
      { numRuns: 150 },
    );
  });

  it('answers the card only to a valid signature, and any type or id with 200 or a clear 400 or 404', async () => {
    const secret = loop.config.hubspot.clientSecret as string;
    const segment = fc.oneof(
      fc.constantFrom('contacts', 'deals', '100', '900', '99999999999999999999999'),
      anyName,
    );
    await fc.assert(
      fc.asyncProperty(segment, segment, encodings, fc.boolean(), async (type, id, how, signed) => {
        const path = sendablePath(`/api/card/${encodeSegment(type, how)}/${encodeSegment(id, how)}`);
        const url = `${loop.config.publicBaseUrl}${path}`;
        const headers = signed
          ? hubspotV3GetHeaders(secret, url)
          : { 'x-hubspot-request-timestamp': String(Date.now()) };
        const answer = await call(loop.server.url, { path, headers });
        expectNoServerError(answer, { behindHelmet: false });
        // Unsigned: refused, unless the path could not even be decoded (refused all the same).
        if (!signed) expect([400, 401]).toContain(answer.status);
        if (signed && answer.status === 200)
          expect(/^\/api\/card\/(contacts|deals)\/\d+$/.test(path)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('answers the portal, calibration and queue board reads with any query, never 5xx', async () => {
    const path = fc.constantFrom(
      '/api/portal',
      '/api/calibration',
      '/admin/queues/api/queues',
      '/admin/queues/api/queues/events/1',
      '/admin/queues/api/queues/events/1/logs',
    );
    const query = fc.array(
      fc.tuple(fc.constantFrom('activeQueue', 'status', 'page', 'jobsPerPage', 'q', 'from'), anyName),
      { maxLength: 4 },
    );
    await fc.assert(
      fc.asyncProperty(path, query, anyName, encodings, async (base, pairs, name, how) => {
        const qs = pairs.map(([key, value]) => `${key}=${encodeSegment(value, how)}`).join('&');
        const target = base.replace('/events/1', `/${encodeSegment(name, how)}/${encodeSegment(name, how)}`);
        const answer = await get(`${target}?${qs}`);
        expect(answer.status, answer.text).toBeLessThan(500);
        if (answer.status >= 400 && !target.startsWith('/admin/') && !isParserRefusal(answer))
          expect(isJsonError(answer, { behindHelmet: true }), JSON.stringify(answer)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

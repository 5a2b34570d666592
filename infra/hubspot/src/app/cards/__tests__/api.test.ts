import { hubspot } from '@hubspot/ui-extensions';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { cardObjectType, cardUrl, fetchCard, parseCardData } from '../lib/api';
import { resolveBaseUrl } from '../lib/config';
import { contactAnswer, json } from './fixtures';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('cardObjectType', () => {
  it("maps HubSpot's object type ids to closeloop's path segments", () => {
    expect(cardObjectType('0-1')).toBe('contacts');
    expect(cardObjectType('0-3')).toBe('deals');
    expect(cardObjectType('0-2')).toBeNull();
  });
});

describe('cardUrl', () => {
  it('builds GET {baseUrl}/api/card/{objectType}/{objectId}', () => {
    expect(cardUrl('https://c.test', 'contacts', 123)).toBe('https://c.test/api/card/contacts/123');
    expect(cardUrl('https://c.test/x', 'deals', '9 9')).toBe('https://c.test/x/api/card/deals/9%209');
  });
});

describe('resolveBaseUrl', () => {
  it('accepts an https origin, with or without a path, and drops trailing slashes', () => {
    expect(resolveBaseUrl({ CLOSELOOP_BASE_URL: 'https://c.test' })).toEqual({
      ok: true,
      baseUrl: 'https://c.test',
    });
    expect(resolveBaseUrl({ CLOSELOOP_BASE_URL: ' https://c.test/loop// ' })).toEqual({
      ok: true,
      baseUrl: 'https://c.test/loop',
    });
  });

  it('rejects a missing, non-text, non-https or decorated value', () => {
    expect(resolveBaseUrl(undefined).ok).toBe(false);
    expect(resolveBaseUrl({ CLOSELOOP_BASE_URL: 42 }).ok).toBe(false);
    expect(resolveBaseUrl({ CLOSELOOP_BASE_URL: 'closeloop.acme.test' }).ok).toBe(false);
    expect(resolveBaseUrl({ CLOSELOOP_BASE_URL: 'http://c.test' }).ok).toBe(false);
    expect(resolveBaseUrl({ CLOSELOOP_BASE_URL: 'https://c.test/?x=1' }).ok).toBe(false);
  });
});

describe('parseCardData', () => {
  it('reads the contract example as is', () => {
    const answer = contactAnswer();
    expect(parseCardData(answer)).toEqual({ lead: answer.lead, campaign: answer.campaign });
  });

  it('turns missing or mistyped fields into null instead of failing', () => {
    expect(
      parseCardData({
        lead: { score: '26', grade: 'B' },
        campaign: { name: 'X', leads: Number.NaN, closeRateAtHorizon: null, leadToClose: 'n/a' },
      }),
    ).toEqual({
      lead: { status: null, score: null, grade: 'B', reason: null },
      campaign: {
        key: null,
        name: 'X',
        leads: null,
        closeRateAtHorizon: null,
        leadToClose: null,
        alignmentIndex: null,
      },
    });
  });

  it('refuses a body that is not an object', () => {
    expect(parseCardData(null)).toBeNull();
    expect(parseCardData([])).toBeNull();
    expect(parseCardData('ok')).toBeNull();
  });
});

describe('fetchCard', () => {
  const url = 'https://c.test/api/card/contacts/1';
  const respond = (impl: () => Promise<Response>) => vi.spyOn(hubspot, 'fetch').mockImplementation(impl);

  it('returns the figures of a 200 answer', async () => {
    respond(() => Promise.resolve(json(200, contactAnswer())));
    expect(await fetchCard(url)).toMatchObject({ kind: 'figures', data: { campaign: { leads: 98 } } });
  });

  it('tells no figures (404) from other statuses', async () => {
    respond(() => Promise.resolve(json(404, {})));
    expect(await fetchCard(url)).toEqual({ kind: 'none' });
    respond(() => Promise.resolve(json(503, {})));
    expect(await fetchCard(url)).toEqual({ kind: 'status', status: 503 });
  });

  it('turns a rejected fetch into unreachable and a bad body into unreadable', async () => {
    respond(() => Promise.reject(new Error('timeout')));
    expect(await fetchCard(url)).toEqual({ kind: 'unreachable' });
    respond(() => Promise.resolve(new Response('not json', { status: 200 })));
    expect(await fetchCard(url)).toEqual({ kind: 'unreadable' });
    respond(() => Promise.resolve(json(200, [1, 2])));
    expect(await fetchCard(url)).toEqual({ kind: 'unreadable' });
  });
});

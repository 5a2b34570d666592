import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { DailyLimitError, HubSpotRequestError, RateLimitedError, TransientError } from '../../src/errors.ts';
import type { Priority } from '../../src/hubspot/rate-budget.ts';
import { ACCESS_TOKEN, DAILY_RESET_AT, fakeHubSpot, hubspot, strictNock } from '../support/hubspot-fakes.ts';

strictNock();

const PATH = '/crm/v3/objects/contacts/batch/read';
const BODY = { properties: ['email'], inputs: [{ id: '1' }] };

/** One POST answered with a refusal; returns what the adapter threw and the fakes it used. */
async function refusedWith(status: number, body: nock.Body = {}, headers: Record<string, string> = {}) {
  const fake = fakeHubSpot();
  hubspot().post(PATH).reply(status, body, headers);
  const error = await fake.http({ method: 'POST', path: PATH, body: BODY, priority: 'live' }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  return { error, ...fake };
}

describe('createHubSpotHttp requests', () => {
  it('sends a GET with its query string and the bearer token, and parses the JSON answer', async () => {
    const { http } = fakeHubSpot();
    hubspot()
      .get('/crm/v3/objects/deals')
      .query({ limit: '100', properties: 'dealname,amount' })
      .reply(200, { results: [] }, { 'X-HubSpot-RateLimit-Remaining': '189' });

    const response = await http({
      method: 'GET',
      path: '/crm/v3/objects/deals',
      qs: { limit: '100', properties: 'dealname,amount' },
      priority: 'live',
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ results: [] });
    expect(response.headers.get('x-hubspot-ratelimit-remaining')).toBe('189');
  });

  it('sends a POST body as JSON', async () => {
    const { http } = fakeHubSpot();
    hubspot()
      .matchHeader('content-type', /application\/json/)
      .post(PATH, BODY)
      .reply(200, { status: 'COMPLETE', results: [] });

    const response = await http({ method: 'POST', path: PATH, body: BODY, priority: 'live' });

    expect(response.body).toEqual({ status: 'COMPLETE', results: [] });
  });

  it('authenticates with the access token as a bearer token, not a hapikey parameter', async () => {
    const { http } = fakeHubSpot();
    // hubspot() already requires the header on every test; this pins its exact value in one place.
    // No .query() here: a hapikey in the URL would leave the request unmatched.
    const seen: (string | null)[] = [];
    hubspot()
      .get('/account-info/v3/details')
      .reply((request: Request) => {
        seen.push(request.headers.get('authorization'));
        return [200, {}];
      });

    await http({ method: 'GET', path: '/account-info/v3/details', priority: 'live' });

    expect(seen).toEqual([`Bearer ${ACCESS_TOKEN}`]);
  });

  it.each<Priority>(['live', 'background'])(
    'takes one slot of the shared budget at %s priority before the request leaves',
    async (priority) => {
      const { http, log, searchBudget } = fakeHubSpot();
      hubspot()
        .get('/crm/v3/pipelines/deals')
        .reply(() => {
          log.push('request');
          return [200, { results: [] }];
        });

      await http({ method: 'GET', path: '/crm/v3/pipelines/deals', priority });

      expect(log).toEqual([`budget.acquire(${priority})`, 'request']);
      expect(searchBudget.acquired).toEqual([]);
    },
  );

  it('takes search calls from the search budget, which has its own tighter limit', async () => {
    const { http, log, budget } = fakeHubSpot();
    hubspot()
      .post('/crm/v3/objects/contacts/search')
      .reply(() => {
        log.push('request');
        return [200, { total: 0, results: [] }];
      });

    await http({
      method: 'POST',
      path: '/crm/v3/objects/contacts/search',
      body: {},
      priority: 'background',
      search: true,
    });

    expect(log).toEqual(['searchBudget.acquire(background)', 'request']);
    expect(budget.acquired).toEqual([]);
  });

  it('returns a 207 as a success, leaving its errors[] to the caller', async () => {
    const { http } = fakeHubSpot();
    const body = {
      status: 'COMPLETE',
      results: [],
      errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: ['1'] } }],
    };
    hubspot().post(PATH).reply(207, body);

    const response = await http({ method: 'POST', path: PATH, body: BODY, priority: 'live' });

    expect(response.status).toBe(207);
    expect(response.body).toEqual(body);
  });

  it.each([
    ['an empty body', 204, '', undefined],
    ['a body that is not JSON', 200, 'OK', 'OK'],
  ])('answers %s as %j', async (_, status, raw, parsed) => {
    const { http } = fakeHubSpot();
    hubspot().delete('/crm/v3/objects/deals/7').reply(status, raw);

    const response = await http({ method: 'DELETE', path: '/crm/v3/objects/deals/7', priority: 'live' });

    expect(response.body).toBe(parsed);
  });

  it('tells the observer the method, path, status and duration of each call', async () => {
    const { http, calls } = fakeHubSpot();
    hubspot().post(PATH).reply(200, { status: 'COMPLETE', results: [] });
    hubspot().post(PATH).reply(404, { message: 'gone' });

    await http({ method: 'POST', path: PATH, body: BODY, priority: 'live' });
    await expect(http({ method: 'POST', path: PATH, body: BODY, priority: 'live' })).rejects.toThrow();

    expect(calls.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: 'POST', path: PATH, status: 200 },
      { method: 'POST', path: PATH, status: 404 },
    ]);
    for (const call of calls) expect(call.seconds).toBeGreaterThanOrEqual(0);
  });
});

describe('createHubSpotHttp refusals', () => {
  it('maps a DAILY 429 to DailyLimitError until the account’s next midnight', async () => {
    const { error, budget } = await refusedWith(429, {
      status: 'error',
      errorType: 'RATE_LIMIT',
      policyName: 'DAILY',
      message: 'You have reached your daily limit.',
    });

    expect(error).toBeInstanceOf(DailyLimitError);
    expect((error as DailyLimitError).untilMs).toBe(DAILY_RESET_AT);
    // Every process stops calling until the reset: acquire() then throws, so jobs are put off
    // instead of waiting hours inside the ten-second window.
    expect(budget.pauses).toEqual([]);
    expect(budget.resets).toEqual([DAILY_RESET_AT]);
  });

  it.each([
    ['Retry-After in seconds', { 'Retry-After': '3' }, 3000],
    [
      'the interval header when there is no Retry-After',
      { 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000' },
      10_000,
    ],
    [
      'Retry-After over the interval header',
      { 'Retry-After': '2', 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000' },
      2000,
    ],
  ])(
    'maps a ten-secondly 429 to RateLimitedError waiting by %s, and pauses the budget',
    async (_, headers, waitMs) => {
      const { error, budget, searchBudget } = await refusedWith(
        429,
        { status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', message: 'limit' },
        headers,
      );

      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error).toMatchObject({ policy: 'TEN_SECONDLY_ROLLING', waitMs });
      // Every process shares the pause through the budget, so the next calls wait too.
      expect(budget.pauses).toEqual([waitMs]);
      expect(searchBudget.pauses).toEqual([]);
    },
  );

  it('pauses the search budget, not the main one, when search is rate limited', async () => {
    const { http, budget, searchBudget } = fakeHubSpot();
    hubspot()
      .post('/crm/v3/objects/deals/search')
      .reply(
        429,
        { status: 'error', errorType: 'RATE_LIMIT', policyName: 'SECONDLY' },
        { 'Retry-After': '1' },
      );

    const error = await http({
      method: 'POST',
      path: '/crm/v3/objects/deals/search',
      body: {},
      priority: 'live',
      search: true,
    }).catch((thrown: unknown) => thrown);

    expect(error).toMatchObject({ name: 'RateLimitedError', policy: 'SECONDLY', waitMs: 1000 });
    expect(searchBudget.pauses).toEqual([1000]);
    expect(budget.pauses).toEqual([]);
  });

  it.each([
    ['423 (record locked ~2 s)', 423, {}, 2000],
    ['477 (migration) with Retry-After', 477, { 'Retry-After': '60' }, 60_000],
  ])('maps %s to TransientError with its minimum delay', async (_, status, headers, minDelayMs) => {
    const { error, budget } = await refusedWith(status, { status: 'error', message: 'busy' }, headers);

    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).minDelayMs).toBe(minDelayMs);
    expect(budget.pauses).toEqual([]);
  });

  it('maps a 477 without Retry-After to a TransientError that still waits', async () => {
    const { error } = await refusedWith(477, { status: 'error', message: 'migrating' });

    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).minDelayMs).toBeGreaterThan(0);
  });

  it.each([500, 502, 503, 504, 520, 524])('maps %i to TransientError', async (status) => {
    const { error } = await refusedWith(status, { status: 'error', message: 'upstream trouble' });

    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toContain(String(status));
  });

  it('maps a network failure to TransientError and tells the observer', async () => {
    const { http, calls } = fakeHubSpot();
    hubspot().post(PATH).replyWithError('socket hang up');

    const error = await http({ method: 'POST', path: PATH, body: BODY, priority: 'live' }).catch(
      (thrown: unknown) => thrown,
    );

    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).cause).toBeInstanceOf(Error);
    expect(calls.map((call) => call.status)).toEqual(['error']);
  });

  it.each([
    [400, 'VALIDATION_ERROR', 'Property values were not valid'],
    [401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found'],
    [403, 'MISSING_SCOPES', 'This app lacks the required scopes'],
    [404, 'OBJECT_NOT_FOUND', 'resource not found'],
    [409, 'CONFLICT', 'Contact already exists'],
  ])('maps %i %s to HubSpotRequestError, which retrying cannot help', async (status, category, message) => {
    const { error, budget } = await refusedWith(status, { status: 'error', category, message });

    expect(error).toBeInstanceOf(HubSpotRequestError);
    expect(error).toMatchObject({ status, category });
    expect((error as Error).message).toContain(message);
    expect(budget.pauses).toEqual([]);
  });

  it.each<[string, (route: nock.Interceptor) => nock.Scope]>([
    ['a 429', (route) => route.reply(429, { policyName: 'TEN_SECONDLY_ROLLING' }, { 'Retry-After': '1' })],
    ['a 423', (route) => route.reply(423, {})],
    ['a 500', (route) => route.reply(500, {})],
    ['a 503', (route) => route.reply(503, {})],
    ['a network failure', (route) => route.replyWithError('ECONNRESET')],
  ])('makes exactly one request on %s: retries are the caller’s', async (_, failure) => {
    const { http } = fakeHubSpot();
    failure(hubspot().post(PATH));
    hubspot().post(PATH).reply(200, { status: 'COMPLETE', results: [] });

    await expect(http({ method: 'POST', path: PATH, body: BODY, priority: 'live' })).rejects.toThrow();
    // Any retry (the SDK's own, were it switched on) would have spent the success reply.
    expect(nock.pendingMocks()).toHaveLength(1);

    const response = await http({ method: 'POST', path: PATH, body: BODY, priority: 'live' });
    expect(response.status).toBe(200);
  });
});

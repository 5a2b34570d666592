import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { client, seed, startTestSandbox } from './sandbox-test-helpers.ts';

let sandbox: RunningSandbox;
afterEach(() => sandbox.close());

describe('rate limits', () => {
  it('enforces the rolling ten-second window with HubSpot headers and 429 body', async () => {
    sandbox = await startTestSandbox({
      requestsPer10s: 3,
      windowMs: 1_000,
      dailyLimit: 100,
      freezeClock: true,
      now: Date.UTC(2026, 0, 5, 12),
    });
    const call = client(sandbox);
    const ok = [];
    for (let i = 0; i < 3; i++) ok.push(await call('GET', '/crm/v3/objects/contacts'));
    expect(ok.map((r) => r.headers.get('x-hubspot-ratelimit-remaining'))).toEqual(['2', '1', '0']);
    const limited = await call('GET', '/crm/v3/objects/contacts/1001');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({
      status: 'error',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    expect(limited.body.groupName).toEqual(expect.any(String));
    expect(
      Object.fromEntries([...limited.headers].filter(([k]) => k.startsWith('x-hubspot-ratelimit'))),
    ).toEqual({
      'x-hubspot-ratelimit-max': '3',
      'x-hubspot-ratelimit-remaining': '0',
      'x-hubspot-ratelimit-interval-milliseconds': '1000',
      'x-hubspot-ratelimit-daily': '100',
      'x-hubspot-ratelimit-daily-remaining': '97',
    });
    sandbox.clock.advance(999);
    expect((await call('GET', '/crm/v3/objects/contacts')).status).toBe(429);
    sandbox.clock.advance(1);
    expect((await call('GET', '/crm/v3/objects/contacts')).status).toBe(200);
    const stats = (await call('GET', '/__sandbox/stats')).body;
    expect(stats.calls).toEqual({
      'GET /crm/v3/objects/contacts': { '200': 4, '429': 1 },
      'GET /crm/v3/objects/contacts/{id}': { '429': 1 },
    });
  });

  it('resets the daily budget at midnight in the account time zone, not in UTC', async () => {
    // 23:59:30 in New York is 04:59:30 UTC in January.
    sandbox = await startTestSandbox({
      dailyLimit: 2,
      freezeClock: true,
      now: Date.UTC(2026, 0, 6, 4, 59, 30),
    });
    const call = client(sandbox);
    await call('GET', '/crm/v3/pipelines/deals');
    const last = await call('GET', '/crm/v3/pipelines/deals');
    expect(last.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('0');
    const limited = await call('GET', '/crm/v3/pipelines/deals');
    expect([limited.status, limited.body.policyName]).toEqual([429, 'DAILY']);
    await call('POST', '/__sandbox/clock', { advanceMs: 30_000 });
    expect((await call('GET', '/crm/v3/pipelines/deals')).status).toBe(200);
    await call('GET', '/crm/v3/pipelines/deals');
    // Crossing midnight UTC (19:00 in New York) does not reset it.
    await call('POST', '/__sandbox/clock', { now: '2026-01-07T00:00:30Z' });
    expect((await call('GET', '/crm/v3/pipelines/deals')).body.policyName).toBe('DAILY');
  });

  it('limits search per second with its own policy and no rate-limit headers', async () => {
    sandbox = await startTestSandbox({ requestsPer10s: 1, searchPerSecond: 2, freezeClock: true });
    const call = client(sandbox);
    const searches = [];
    for (let i = 0; i < 3; i++)
      searches.push(await call('POST', '/crm/v3/objects/contacts/search', { limit: 1 }));
    expect(searches.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(searches[2]?.body).toMatchObject({ errorType: 'RATE_LIMIT', policyName: 'SECONDLY' });
    expect(
      searches.flatMap((r) => [...r.headers.keys()].filter((k) => k.startsWith('x-hubspot-ratelimit'))),
    ).toEqual([]);
    // Search is exempt from the ten-secondly budget: one plain call still fits.
    expect((await call('GET', '/crm/v3/objects/deals')).status).toBe(200);
    sandbox.clock.advance(1_000);
    expect((await call('POST', '/crm/v3/objects/deals/search', {})).status).toBe(200);
  });

  it('can be reconfigured at runtime and never limits admin calls', async () => {
    sandbox = await startTestSandbox({ freezeClock: true });
    const call = client(sandbox);
    await call('POST', '/__sandbox/config', { requestsPer10s: 1, windowMs: 500 });
    await call('GET', '/crm/v3/objects/deals');
    expect((await call('GET', '/crm/v3/objects/deals')).status).toBe(429);
    for (let i = 0; i < 5; i++) expect((await call('GET', '/__sandbox/stats')).status).toBe(200);
    expect(sandbox.stats().calls).toEqual({ 'GET /crm/v3/objects/deals': { '200': 1, '429': 1 } });
  });

  it('empties the rolling windows on request and keeps the daily count', async () => {
    sandbox = await startTestSandbox({
      requestsPer10s: 2,
      searchPerSecond: 1,
      dailyLimit: 10,
      freezeClock: true,
    });
    const call = client(sandbox);
    await call('GET', '/crm/v3/objects/deals');
    await call('GET', '/crm/v3/objects/deals');
    await call('POST', '/crm/v3/objects/deals/search', {});
    expect((await call('GET', '/crm/v3/objects/deals')).status).toBe(429);
    expect((await call('POST', '/crm/v3/objects/deals/search', {})).status).toBe(429);
    sandbox.clearRateWindows();
    const again = await call('GET', '/crm/v3/objects/deals');
    expect([again.status, again.headers.get('x-hubspot-ratelimit-remaining')]).toEqual([200, '1']);
    expect(again.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('6');
    expect((await call('POST', '/crm/v3/objects/deals/search', {})).status).toBe(200);
  });

  it('puts the daily headers on every non-search answer and spends one per call, searches included', async () => {
    sandbox = await startTestSandbox({ freezeClock: true, now: Date.UTC(2026, 0, 5, 15) });
    const call = client(sandbox);
    const { contacts } = await seed(sandbox, { contacts: [{}], deals: [{}] });
    // Off (0): no daily headers, but HubSpot's count of the day's calls goes on.
    expect((await call('GET', '/crm/v3/objects/contacts')).headers.has('x-hubspot-ratelimit-daily')).toBe(
      false,
    );
    const set = await call('POST', '/__sandbox/config', { dailyLimit: 500 });
    expect(set.body.dailyLimit).toBe(500);
    const calls: [string, string, unknown?][] = [
      ['GET', '/crm/v3/objects/contacts'],
      ['GET', '/crm/v3/objects/contacts/99999999'],
      ['POST', '/crm/v3/objects/deals', { properties: { no_such: 'x' } }],
      ['PATCH', `/crm/v3/objects/contacts/${contacts[0]}`, { properties: { firstname: 'A' } }],
      ['POST', '/crm/v3/objects/contacts/batch/read', { inputs: [{ id: '99999999' }] }],
      ['GET', `/crm/v4/objects/contacts/${contacts[0]}/associations/deals`],
      ['GET', '/crm/v3/properties/deals'],
      ['GET', '/crm/v3/pipelines/deals'],
      ['GET', '/account-info/v3/details'],
      ['GET', '/marketing/v3/campaigns'],
    ];
    const seen: [number, string | null, string | null][] = [];
    for (const [method, path, body] of calls) {
      const r = await call(method, path, body);
      seen.push([
        r.status,
        r.headers.get('x-hubspot-ratelimit-daily'),
        r.headers.get('x-hubspot-ratelimit-daily-remaining'),
      ]);
    }
    expect(seen).toEqual(
      [200, 404, 400, 200, 207, 200, 200, 200, 200, 200].map((status, i) => [status, '500', String(498 - i)]),
    );
    const found = await call('POST', '/crm/v3/objects/contacts/search', {});
    expect([found.status, found.headers.has('x-hubspot-ratelimit-daily-remaining')]).toEqual([200, false]);
    await call('POST', '/__sandbox/config', { scopes: [], failRate: 0 });
    const refused = await call('GET', '/crm/v3/objects/deals');
    // The search spent one as well: 489 after the ten calls, 488 after it, 487 after this one.
    expect([refused.status, refused.headers.get('x-hubspot-ratelimit-daily-remaining')]).toEqual([
      403,
      '487',
    ]);
    await call('POST', '/__sandbox/config', {
      scopes: ['crm.objects.deals.read'],
      failRate: 1,
      faults: ['503'],
    });
    const faulted = await call('GET', '/crm/v3/objects/deals');
    expect([faulted.status, faulted.headers.get('x-hubspot-ratelimit-daily-remaining')]).toEqual([
      503,
      '486',
    ]);
    // Fourteen calls were made today: a limit of 14 refuses the next one at once.
    await call('POST', '/__sandbox/config', { dailyLimit: 14, failRate: 0 });
    const limited = await call('GET', '/crm/v3/objects/deals');
    expect([limited.status, limited.body.policyName]).toEqual([429, 'DAILY']);
    expect(limited.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('0');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { sandboxOptionsFromFlags } from '../../src/sandbox/sandbox-flags.ts';
import type { SandboxOptions } from '../../src/sandbox/sandbox-options.ts';
import { SCOPES } from '../../src/sandbox/scopes.ts';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { schemaProblems } from './openapi-validator.ts';
import { type CallResult, client, seed, startTestSandbox } from './sandbox-test-helpers.ts';

let sandboxes: RunningSandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
  sandboxes = [];
});

async function start(overrides: Partial<SandboxOptions> = {}) {
  const sandbox = await startTestSandbox(overrides);
  sandboxes.push(sandbox);
  return { sandbox, call: client(sandbox) };
}

/** The scopes a 403 names, or its status when it is no missing-scopes answer. */
function required(result: CallResult): string[] | number {
  if (result.status !== 403 || result.body?.category !== 'MISSING_SCOPES') return result.status;
  return result.body.errors[0].context.requiredGranularScopes;
}

describe('token scopes', () => {
  it('grants every scope it checks by default and shows them in the admin config', async () => {
    const { call } = await start();
    expect((await call('GET', '/__sandbox/config')).body.scopes).toEqual([...SCOPES]);
    expect((await call('GET', '/crm/v3/objects/contacts')).status).toBe(200);
    expect((await call('POST', '/crm/v3/objects/deals', { properties: {} })).status).toBe(201);
  });

  it('answers HubSpot’s MISSING_SCOPES body, valid against the OpenAPI file, for a scope not granted', async () => {
    const { call } = await start({ scopes: ['crm.objects.contacts.read'] });
    expect((await call('GET', '/crm/v3/objects/contacts')).status).toBe(200);
    const write = await call('POST', '/crm/v3/objects/contacts', { properties: {} });
    expect(write.status).toBe(403);
    expect(write.body).toEqual({
      status: 'error',
      message: expect.stringContaining('required scopes'),
      correlationId: expect.any(String),
      category: 'MISSING_SCOPES',
      errors: [
        {
          message: 'One or more of the following scopes are required.',
          context: { requiredGranularScopes: ['crm.objects.contacts.write'] },
        },
      ],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    });
    expect(schemaProblems('crm-contacts-v3', 'POST', '/crm/v3/objects/contacts', 403, write.body)).toEqual(
      [],
    );
    const search = await call('POST', '/crm/v3/objects/0-3/search', {});
    expect(required(search)).toEqual(['crm.objects.deals.read']);
    expect(schemaProblems('crm-deals-v3', 'POST', '/crm/v3/objects/0-3/search', 403, search.body)).toEqual(
      [],
    );
  });

  it('checks the token first, then the scope, and only then the body', async () => {
    const { call } = await start({ accessToken: 'tok', scopes: [] });
    const auth = { Authorization: 'Bearer tok' };
    expect((await call('POST', '/crm/v3/objects/contacts/batch/create', {})).status).toBe(401);
    // An empty or broken body still learns whether the scope is granted.
    const empty = await call('POST', '/crm/v3/objects/contacts/batch/create', undefined, auth);
    expect(required(empty)).toEqual(['crm.objects.contacts.write']);
    const broken = await call('PATCH', '/crm/v3/properties/deals/dealname', '{not json', auth);
    expect(required(broken)).toEqual(['crm.schemas.deals.write']);
    // Account details need only a valid token.
    expect((await call('GET', '/account-info/v3/details', undefined, auth)).status).toBe(200);
  });

  it('maps every kind of call to the scopes HubSpot requires', async () => {
    const { sandbox, call } = await start({ scopes: [] });
    const { contacts, deals } = await seed(sandbox, { contacts: [{}], deals: [{}] });
    const [c, d] = [contacts[0], deals[0]];
    const needs: [string, string, unknown, string[]][] = [
      ['GET', `/crm/v3/objects/contacts/${c}`, undefined, ['crm.objects.contacts.read']],
      ['POST', '/crm/v3/objects/deals/batch/read', { inputs: [] }, ['crm.objects.deals.read']],
      ['PATCH', `/crm/v3/objects/deals/${d}`, { properties: {} }, ['crm.objects.deals.write']],
      ['DELETE', `/crm/v3/objects/contacts/${c}`, undefined, ['crm.objects.contacts.write']],
      ['POST', '/crm/v3/objects/contacts/merge', {}, ['crm.objects.contacts.write']],
      ['POST', '/crm/v3/objects/contacts/gdpr-delete', {}, ['crm.objects.contacts.write']],
      ['POST', '/crm/v3/objects/deals/batch/archive', {}, ['crm.objects.deals.write']],
      [
        'GET',
        '/crm/v3/properties/contacts',
        undefined,
        ['crm.objects.contacts.read', 'crm.schemas.contacts.read'],
      ],
      [
        'GET',
        '/crm/v3/properties/deals/groups',
        undefined,
        ['crm.objects.deals.read', 'crm.schemas.deals.read'],
      ],
      ['POST', '/crm/v3/properties/deals/batch/create', {}, ['crm.schemas.deals.write']],
      ['POST', '/crm/v3/properties/contacts/groups', {}, ['crm.schemas.contacts.write']],
      ['GET', '/crm/v3/pipelines/deals', undefined, ['crm.objects.deals.read']],
      ['GET', `/crm/v4/objects/deals/${d}/associations/contacts`, undefined, ['crm.objects.deals.read']],
      ['POST', '/crm/v4/associations/contacts/deals/batch/create', {}, ['crm.objects.contacts.write']],
      ['GET', '/marketing/v3/campaigns', undefined, ['marketing.campaigns.read']],
    ];
    const seen = [];
    for (const [method, path, body] of needs) seen.push(required(await call(method, path, body)));
    expect(seen).toEqual(needs.map((n) => n[3]));
  });

  it('takes either scope where HubSpot lists alternatives, and both ends’ reads for association reads', async () => {
    const { sandbox, call } = await start({
      scopes: ['crm.schemas.deals.read', 'crm.objects.contacts.read'],
    });
    const { contacts, deals } = await seed(sandbox, {
      contacts: [{}],
      deals: [{}],
      associations: [],
    });
    expect((await call('GET', '/crm/v3/properties/deals/dealname')).status).toBe(200);
    expect((await call('GET', '/crm/v3/properties/contacts')).status).toBe(200);
    const path = `/crm/v4/objects/contacts/${contacts[0]}/associations/deals`;
    expect(required(await call('GET', path))).toEqual(['crm.objects.deals.read']);
    await call('POST', '/__sandbox/config', {
      scopes: ['crm.objects.contacts.read', 'crm.objects.deals.read', 'crm.objects.contacts.write'],
    });
    expect((await call('GET', path)).status).toBe(200);
    // Writing associations needs the write scope of the from-object only.
    const link = `/crm/v4/objects/contacts/${contacts[0]}/associations/default/deals/${deals[0]}`;
    expect((await call('PUT', link)).status).toBe(200);
    const reverse = `/crm/v4/objects/deals/${deals[0]}/associations/default/contacts/${contacts[0]}`;
    expect(required(await call('PUT', reverse))).toEqual(['crm.objects.deals.write']);
  });

  it('changes at run time, refuses unknown scopes and keeps --campaigns-api forbidden working', async () => {
    const { sandbox, call } = await start();
    const bad = await call('POST', '/__sandbox/config', { scopes: ['crm.objects.companies.read'] });
    expect([bad.status, sandbox.options.scopes]).toEqual([400, [...SCOPES]]);
    const set = await call('POST', '/__sandbox/config', { scopes: ['crm.objects.deals.read'] });
    expect(set.body.scopes).toEqual(['crm.objects.deals.read']);
    expect(required(await call('GET', '/marketing/v3/campaigns'))).toEqual(['marketing.campaigns.read']);
    await call('POST', '/__sandbox/config', { scopes: [...SCOPES], campaignsApi: 'forbidden' });
    // The tier cannot grant the campaign scopes, whatever the token asks for.
    expect(required(await call('GET', '/marketing/v3/campaigns'))).toEqual(['marketing.campaigns.read']);
    expect((await call('GET', '/crm/v3/objects/deals')).status).toBe(200);
    expect(sandbox.stats().calls['GET /marketing/v3/campaigns']).toEqual({ '403': 2 });
  });

  it('counts a refused call against the budgets like any other call', async () => {
    const { call } = await start({ scopes: [], dailyLimit: 10, requestsPer10s: 5, freezeClock: true });
    const refused = await call('GET', '/crm/v3/objects/contacts');
    expect([refused.status, refused.headers.get('x-hubspot-ratelimit-daily-remaining')]).toEqual([403, '9']);
    expect(refused.headers.get('x-hubspot-ratelimit-remaining')).toBe('4');
  });
});

describe('closeloop sandbox --scopes and --no-webhooks', () => {
  const flags = {
    port: '0',
    timeZone: 'UTC',
    currency: 'USD',
    requestsPer10s: '100',
    windowMs: '10000',
    dailyLimit: '0',
    searchPerSecond: '5',
    subscriptions: 'p',
  };

  it('maps the flags to options and names a bad scope', () => {
    const ok = sandboxOptionsFromFlags({
      ...flags,
      scopes: 'crm.objects.contacts.read, crm.objects.deals.read',
      webhooks: false,
    });
    expect(ok.ok && [ok.options.scopes, ok.options.webhooks]).toEqual([
      ['crm.objects.contacts.read', 'crm.objects.deals.read'],
      false,
    ]);
    const none = sandboxOptionsFromFlags({ ...flags, scopes: '' });
    expect(none.ok && none.options.scopes).toEqual([]);
    const bad = sandboxOptionsFromFlags({ ...flags, scopes: 'crm.objects.contacts.read,oauth' });
    expect(bad.ok ? [] : bad.problems.map((p) => p.split(':')[0])).toEqual(['--scopes']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Case, type Fixture, failuresOf, startFixture } from './conformance-fixture.ts';
import { type SpecName, schemaProblems } from './openapi-validator.ts';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.sandbox.close());

const CONTACT = '/crm/v3/objects/contacts/{contactId}';
const DEAL = '/crm/v3/objects/0-3/{dealId}';

const objectCases = (
  { call }: Fixture,
  spec: SpecName,
  base: string,
  one: string,
  type: 'contacts' | '0-3' | 'deals',
  id: () => string,
): Case[] => [
  [
    'list',
    spec,
    'GET',
    base,
    200,
    () => call('GET', `/crm/v3/objects/${type}?limit=2&properties=email,dealname`),
  ],
  ['list with a bad limit', spec, 'GET', base, 400, () => call('GET', `/crm/v3/objects/${type}?limit=abc`)],
  [
    'create',
    spec,
    'POST',
    base,
    201,
    () =>
      call('POST', `/crm/v3/objects/${type}`, {
        properties: type === 'contacts' ? { email: 'n@example.com' } : { dealname: 'N' },
      }),
  ],
  [
    'create with an unknown property',
    spec,
    'POST',
    base,
    400,
    () => call('POST', `/crm/v3/objects/${type}`, { properties: { nope: '1' } }),
  ],
  [
    'read',
    spec,
    'GET',
    one,
    200,
    () => call('GET', `/crm/v3/objects/${type}/${id()}?associations=deals,contacts`),
  ],
  ['read a missing id', spec, 'GET', one, 404, () => call('GET', `/crm/v3/objects/${type}/99999999`)],
  [
    'update',
    spec,
    'PATCH',
    one,
    200,
    () =>
      call('PATCH', `/crm/v3/objects/${type}/${id()}`, {
        properties: type === 'contacts' ? { firstname: 'Ada' } : { amount: 5 },
      }),
  ],
  [
    'update read-only',
    spec,
    'PATCH',
    one,
    400,
    () => call('PATCH', `/crm/v3/objects/${type}/${id()}`, { properties: { hs_object_id: '1' } }),
  ],
  [
    'batch read',
    spec,
    'POST',
    `${base}/batch/read`,
    200,
    () =>
      call('POST', `/crm/v3/objects/${type}/batch/read`, {
        inputs: [{ id: id() }],
        properties: ['email', 'nothing'],
      }),
  ],
  [
    'batch read, one missing',
    spec,
    'POST',
    `${base}/batch/read`,
    207,
    () =>
      call('POST', `/crm/v3/objects/${type}/batch/read`, {
        inputs: [{ id: id() }, { id: '1' }],
        properties: [],
      }),
  ],
  [
    'batch read, too many',
    spec,
    'POST',
    `${base}/batch/read`,
    400,
    () =>
      call('POST', `/crm/v3/objects/${type}/batch/read`, {
        inputs: Array.from({ length: 101 }, () => ({ id: id() })),
      }),
  ],
  [
    'batch create',
    spec,
    'POST',
    `${base}/batch/create`,
    201,
    () => call('POST', `/crm/v3/objects/${type}/batch/create`, { inputs: [{ properties: {} }] }),
  ],
  [
    'batch create, bad body',
    spec,
    'POST',
    `${base}/batch/create`,
    400,
    () => call('POST', `/crm/v3/objects/${type}/batch/create`, { input: [] }),
  ],
  [
    'batch update',
    spec,
    'POST',
    `${base}/batch/update`,
    200,
    () => call('POST', `/crm/v3/objects/${type}/batch/update`, { inputs: [{ id: id(), properties: {} }] }),
  ],
  [
    'batch update, one missing',
    spec,
    'POST',
    `${base}/batch/update`,
    207,
    () =>
      call('POST', `/crm/v3/objects/${type}/batch/update`, {
        inputs: [
          { id: id(), properties: {} },
          { id: '2', properties: {} },
        ],
      }),
  ],
  [
    'batch update, duplicates',
    spec,
    'POST',
    `${base}/batch/update`,
    400,
    () =>
      call('POST', `/crm/v3/objects/${type}/batch/update`, {
        inputs: [
          { id: id(), properties: {} },
          { id: id(), properties: {} },
        ],
      }),
  ],
  [
    'batch archive, bad body',
    spec,
    'POST',
    `${base}/batch/archive`,
    400,
    () => call('POST', `/crm/v3/objects/${type}/batch/archive`, 'not json'),
  ],
  [
    'search',
    spec,
    'POST',
    `${base}/search`,
    200,
    () =>
      call('POST', `/crm/v3/objects/${type}/search`, { filterGroups: [], limit: 1, properties: ['email'] }),
  ],
  [
    'search past 10,000',
    spec,
    'POST',
    `${base}/search`,
    400,
    () => call('POST', `/crm/v3/objects/${type}/search`, { after: '9950', limit: 100 }),
  ],
  [
    'merge of a missing id',
    spec,
    'POST',
    `${base}/merge`,
    400,
    () => call('POST', `/crm/v3/objects/${type}/merge`, { primaryObjectId: id(), objectIdToMerge: '5' }),
  ],
];

describe('contact and deal responses match the published OpenAPI schemas', () => {
  it('answers each object route with the documented status and shape', async () => {
    const { call, contact: c, deal: d } = f;
    const cases: Case[] = [
      ...objectCases(f, 'crm-contacts-v3', '/crm/v3/objects/contacts', CONTACT, 'contacts', () => c(0)),
      ...objectCases(f, 'crm-deals-v3', '/crm/v3/objects/0-3', DEAL, '0-3', () => d(0)),
      ...objectCases(f, 'crm-deals-v3', '/crm/v3/objects/0-3', DEAL, 'deals', () => d(1)),
      [
        'merge',
        'crm-contacts-v3',
        'POST',
        '/crm/v3/objects/contacts/merge',
        200,
        () =>
          call('POST', '/crm/v3/objects/contacts/merge', { primaryObjectId: c(4), objectIdToMerge: c(5) }),
      ],
      [
        'gdpr delete',
        'crm-contacts-v3',
        'POST',
        '/crm/v3/objects/contacts/gdpr-delete',
        400,
        () => call('POST', '/crm/v3/objects/contacts/gdpr-delete', { objectId: '3' }),
      ],
    ];
    expect(await failuresOf(cases)).toEqual([]);
  });

  it('answers 204 without a body where HubSpot does', async () => {
    const { call, contact: c, deal: d } = f;
    const deletions = [
      await call('DELETE', `/crm/v3/objects/contacts/${c(2)}`),
      await call('POST', '/crm/v3/objects/deals/batch/archive', { inputs: [{ id: d(3) }] }),
      await call('POST', '/crm/v3/objects/contacts/gdpr-delete', { objectId: c(1) }),
    ];
    expect(deletions.map((r) => [r.status, r.body])).toEqual(deletions.map(() => [204, undefined]));
  });

  it('answers 401, 423, 5xx and 429 with the documented error bodies', async () => {
    const { sandbox, call, contact: c } = f;
    sandbox.options.accessToken = 'secret-token';
    const denied = await call('GET', `/crm/v3/objects/contacts/${c(0)}`);
    sandbox.options.accessToken = undefined;
    await call('POST', '/__sandbox/config', { failRate: 1, faults: ['423'] });
    const locked = await call('GET', `/crm/v3/objects/contacts/${c(0)}`);
    await call('POST', '/__sandbox/config', { failRate: 1, faults: ['502'] });
    const badGateway = await call('POST', '/crm/v3/objects/0-3/search', {});
    await call('POST', '/__sandbox/config', { failRate: 0, requestsPer10s: 1 });
    await call('GET', '/crm/v3/objects/contacts');
    const limited = await call('GET', '/crm/v3/objects/contacts');
    await call('POST', '/__sandbox/config', { requestsPer10s: 0 });
    expect([denied.status, locked.status, badGateway.status, limited.status]).toEqual([401, 423, 502, 429]);
    expect(schemaProblems('crm-contacts-v3', 'GET', CONTACT, 401, denied.body)).toEqual([]);
    expect(schemaProblems('crm-contacts-v3', 'GET', CONTACT, 423, locked.body)).toEqual([]);
    expect(
      schemaProblems('crm-deals-v3', 'POST', '/crm/v3/objects/0-3/search', 502, badGateway.body),
    ).toEqual([]);
    expect(schemaProblems('crm-contacts-v3', 'GET', '/crm/v3/objects/contacts', 429, limited.body)).toEqual(
      [],
    );
  });
});

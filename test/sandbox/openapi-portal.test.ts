import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Case, type Fixture, failuresOf, startFixture } from './conformance-fixture.ts';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.sandbox.close());

const A4 = '/crm/v4/associations/{fromObjectType}/{toObjectType}/batch';
const LABELLED = '/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}';

/** HubSpot's documented account-info shape (there is no OpenAPI file for it here). */
const ACCOUNT_DETAILS = z.strictObject({
  portalId: z.number().int(),
  accountType: z.enum(['APP_DEVELOPER', 'DEVELOPER_TEST', 'SANDBOX', 'STANDARD']),
  timeZone: z.string(),
  companyCurrency: z.string(),
  additionalCurrencies: z.array(z.string()),
  utcOffset: z.string().regex(/^[+-]\d{2}:\d{2}$/),
  utcOffsetMilliseconds: z.number().int(),
  uiDomain: z.string(),
  dataHostingLocation: z.string(),
});

describe('association, property, pipeline and account responses match HubSpot documented shapes', () => {
  it('answers each route with the documented status and shape', async () => {
    const { call, contact: c, deal: d } = f;
    const cases: Case[] = [
      [
        'default association',
        'crm-associations-v4',
        'PUT',
        '/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}',
        200,
        () => call('PUT', `/crm/v4/objects/contacts/${c(0)}/associations/default/deals/${d(0)}`),
      ],
      [
        'default association to nothing',
        'crm-associations-v4',
        'PUT',
        '/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}',
        400,
        () => call('PUT', `/crm/v4/objects/contacts/${c(0)}/associations/default/deals/1`),
      ],
      [
        'labelled association',
        'crm-associations-v4',
        'PUT',
        LABELLED,
        201,
        () =>
          call('PUT', `/crm/v4/objects/deals/${d(1)}/associations/contacts/${c(1)}`, [
            { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 },
          ]),
      ],
      [
        'labelled association, wrong type',
        'crm-associations-v4',
        'PUT',
        LABELLED,
        400,
        () =>
          call('PUT', `/crm/v4/objects/deals/${d(1)}/associations/contacts/${c(1)}`, [
            { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 4 },
          ]),
      ],
      [
        'associations of one record',
        'crm-associations-v4',
        'GET',
        '/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}',
        200,
        () => call('GET', `/crm/v4/objects/contacts/${c(0)}/associations/deals?limit=1`),
      ],
      [
        'association batch read',
        'crm-associations-v4',
        'POST',
        `${A4}/read`,
        200,
        () => call('POST', '/crm/v4/associations/contacts/deals/batch/read', { inputs: [{ id: c(0) }] }),
      ],
      [
        'association batch read, none',
        'crm-associations-v4',
        'POST',
        `${A4}/read`,
        207,
        () =>
          call('POST', '/crm/v4/associations/contacts/deals/batch/read', {
            inputs: [{ id: c(0) }, { id: c(3) }],
          }),
      ],
      [
        'association batch create',
        'crm-associations-v4',
        'POST',
        `${A4}/create`,
        201,
        () =>
          call('POST', '/crm/v4/associations/deals/contacts/batch/create', {
            inputs: [
              {
                from: { id: d(2) },
                to: { id: c(2) },
                types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }],
              },
            ],
          }),
      ],
      [
        'association batch default',
        'crm-associations-v4',
        'POST',
        `${A4}/associate/default`,
        200,
        () =>
          call('POST', '/crm/v4/associations/contacts/deals/batch/associate/default', {
            inputs: [{ from: { id: c(3) }, to: { id: d(3) } }],
          }),
      ],
      [
        'association batch default, bad body',
        'crm-associations-v4',
        'POST',
        `${A4}/associate/default`,
        400,
        () => call('POST', '/crm/v4/associations/contacts/deals/batch/associate/default', { inputs: [{}] }),
      ],
      [
        'properties',
        'crm-properties-v3',
        'GET',
        '/crm/v3/properties/{objectType}',
        200,
        () => call('GET', '/crm/v3/properties/contacts'),
      ],
      [
        'one property',
        'crm-properties-v3',
        'GET',
        '/crm/v3/properties/{objectType}/{propertyName}',
        200,
        () => call('GET', '/crm/v3/properties/deals/dealstage'),
      ],
      [
        'a missing property',
        'crm-properties-v3',
        'GET',
        '/crm/v3/properties/{objectType}/{propertyName}',
        404,
        () => call('GET', '/crm/v3/properties/deals/nope'),
      ],
      [
        'property group',
        'crm-properties-v3',
        'POST',
        '/crm/v3/properties/{objectType}/groups',
        201,
        () => call('POST', '/crm/v3/properties/contacts/groups', { name: 'closeloop', label: 'closeloop' }),
      ],
      [
        'property group again',
        'crm-properties-v3',
        'POST',
        '/crm/v3/properties/{objectType}/groups',
        409,
        () => call('POST', '/crm/v3/properties/contacts/groups', { name: 'closeloop', label: 'closeloop' }),
      ],
      [
        'property groups',
        'crm-properties-v3',
        'GET',
        '/crm/v3/properties/{objectType}/groups',
        200,
        () => call('GET', '/crm/v3/properties/contacts/groups'),
      ],
      [
        'create property',
        'crm-properties-v3',
        'POST',
        '/crm/v3/properties/{objectType}',
        201,
        () =>
          call('POST', '/crm/v3/properties/contacts', {
            name: 'closeloop_grade',
            label: 'Grade',
            type: 'enumeration',
            fieldType: 'select',
            groupName: 'closeloop',
            options: [{ label: 'A', value: 'A', hidden: false }],
          }),
      ],
      [
        'create it again',
        'crm-properties-v3',
        'POST',
        '/crm/v3/properties/{objectType}',
        409,
        () =>
          call('POST', '/crm/v3/properties/contacts', {
            name: 'closeloop_grade',
            label: 'Grade',
            type: 'string',
            fieldType: 'text',
            groupName: 'closeloop',
          }),
      ],
      [
        'create with a bad fieldType',
        'crm-properties-v3',
        'POST',
        '/crm/v3/properties/{objectType}',
        400,
        () =>
          call('POST', '/crm/v3/properties/contacts', {
            name: 'closeloop_x',
            label: 'X',
            type: 'number',
            fieldType: 'select',
            groupName: 'closeloop',
          }),
      ],
      [
        'batch create properties',
        'crm-properties-v3',
        'POST',
        '/crm/v3/properties/{objectType}/batch/create',
        201,
        () =>
          call('POST', '/crm/v3/properties/contacts/batch/create', {
            inputs: [
              {
                name: 'closeloop_score',
                label: 'Score',
                type: 'number',
                fieldType: 'number',
                groupName: 'closeloop',
              },
            ],
          }),
      ],
      [
        'batch create, one exists',
        'crm-properties-v3',
        'POST',
        '/crm/v3/properties/{objectType}/batch/create',
        207,
        () =>
          call('POST', '/crm/v3/properties/contacts/batch/create', {
            inputs: [
              {
                name: 'closeloop_score',
                label: 'Score',
                type: 'number',
                fieldType: 'number',
                groupName: 'closeloop',
              },
              {
                name: 'closeloop_reason',
                label: 'Reason',
                type: 'string',
                fieldType: 'textarea',
                groupName: 'closeloop',
              },
            ],
          }),
      ],
      [
        'update property',
        'crm-properties-v3',
        'PATCH',
        '/crm/v3/properties/{objectType}/{propertyName}',
        200,
        () => call('PATCH', '/crm/v3/properties/contacts/closeloop_score', { label: 'Lead score' }),
      ],
      [
        'pipelines',
        'crm-pipelines-v3',
        'GET',
        '/crm/v3/pipelines/{objectType}',
        200,
        () => call('GET', '/crm/v3/pipelines/deals'),
      ],
      [
        'one pipeline',
        'crm-pipelines-v3',
        'GET',
        '/crm/v3/pipelines/{objectType}/{pipelineId}',
        200,
        () => call('GET', '/crm/v3/pipelines/0-3/default'),
      ],
      [
        'a missing pipeline',
        'crm-pipelines-v3',
        'GET',
        '/crm/v3/pipelines/{objectType}/{pipelineId}',
        404,
        () => call('GET', '/crm/v3/pipelines/deals/nope'),
      ],
      [
        'stages',
        'crm-pipelines-v3',
        'GET',
        '/crm/v3/pipelines/{objectType}/{pipelineId}/stages',
        200,
        () => call('GET', '/crm/v3/pipelines/deals/781236450/stages'),
      ],
    ];
    expect(await failuresOf(cases)).toEqual([]);
  });

  it('answers association removals with 204 and no body', async () => {
    const { call, contact: c, deal: d } = f;
    await call('PUT', `/crm/v4/objects/contacts/${c(5)}/associations/default/deals/${d(3)}`);
    const removed = [
      await call('DELETE', `/crm/v4/objects/contacts/${c(5)}/associations/deals/${d(3)}`),
      await call('POST', '/crm/v4/associations/deals/contacts/batch/archive', {
        inputs: [{ from: { id: d(2) }, to: [{ id: c(2) }] }],
      }),
    ];
    expect(removed.map((r) => [r.status, r.body])).toEqual([
      [204, undefined],
      [204, undefined],
    ]);
  });

  it('gives account details in the documented shape', async () => {
    const account = await f.call('GET', '/account-info/v3/details');
    expect(ACCOUNT_DETAILS.safeParse(account.body).success).toBe(true);
  });
});

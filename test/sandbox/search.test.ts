import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { client, seed, startTestSandbox } from './sandbox-test-helpers.ts';

let sandbox: RunningSandbox;
let call: ReturnType<typeof client>;
let deals: string[];

const search = (body: unknown, type = 'deals') => call('POST', `/crm/v3/objects/${type}/search`, body);
const filter = (propertyName: string, operator: string, extra: Record<string, unknown> = {}) => ({
  filterGroups: [{ filters: [{ propertyName, operator, ...extra }] }],
  properties: ['dealname', 'amount'],
  limit: 100,
});
const names = (body: { results: { properties: { dealname: string } }[] }) =>
  body.results.map((r) => r.properties.dealname);

beforeAll(async () => {
  sandbox = await startTestSandbox();
  call = client(sandbox);
  const amounts = ['9', '10', '100', '25.5', undefined];
  ({ deals } = await seed(sandbox, {
    deals: amounts.map((amount, i) => ({
      properties: {
        dealname: `Deal ${String.fromCharCode(65 + i)}`,
        ...(amount ? { amount } : {}),
        closedate: `2026-0${i + 1}-15T00:00:00Z`,
      },
    })),
  }));
});
afterAll(() => sandbox.close());

describe('search', () => {
  it('compares numbers and dates as numbers, strings case-insensitively', async () => {
    expect(names((await search(filter('amount', 'GT', { value: '9.5' }))).body)).toEqual([
      'Deal B',
      'Deal C',
      'Deal D',
    ]);
    expect(names((await search(filter('amount', 'LTE', { value: 10 }))).body)).toEqual(['Deal A', 'Deal B']);
    expect(names((await search(filter('closedate', 'GTE', { value: '2026-03-15T00:00:00Z' }))).body)).toEqual(
      ['Deal C', 'Deal D', 'Deal E'],
    );
    expect(
      names((await search(filter('closedate', 'LT', { value: String(Date.UTC(2026, 1, 1)) }))).body),
    ).toEqual(['Deal A']);
    expect(names((await search(filter('dealname', 'EQ', { value: 'deal c' }))).body)).toEqual(['Deal C']);
    expect(names((await search(filter('dealname', 'NEQ', { value: 'Deal C' }))).body)).toHaveLength(4);
    expect(names((await search(filter('amount', 'IN', { values: ['9', '100'] }))).body)).toEqual([
      'Deal A',
      'Deal C',
    ]);
    expect(names((await search(filter('amount', 'NOT_IN', { values: ['9', '100'] }))).body)).toEqual([
      'Deal B',
      'Deal D',
      'Deal E',
    ]);
    expect(names((await search(filter('dealname', 'CONTAINS_TOKEN', { value: 'd' }))).body)).toEqual([
      'Deal D',
    ]);
    expect(names((await search(filter('dealname', 'CONTAINS_TOKEN', { value: 'de*' }))).body)).toHaveLength(
      5,
    );
    expect(names((await search(filter('dealname', 'NOT_CONTAINS_TOKEN', { value: 'a' }))).body)).toEqual([
      'Deal B',
      'Deal C',
      'Deal D',
      'Deal E',
    ]);
    expect(names((await search(filter('amount', 'HAS_PROPERTY'))).body)).toHaveLength(4);
    expect(names((await search(filter('amount', 'NOT_HAS_PROPERTY'))).body)).toEqual(['Deal E']);
    expect(names((await search(filter('amount', 'BETWEEN', { value: '10', highValue: '30' }))).body)).toEqual(
      ['Deal B', 'Deal D'],
    );
  });

  it('ORs filter groups, ANDs filters, sorts and pages', async () => {
    const body = {
      filterGroups: [
        {
          filters: [
            { propertyName: 'amount', operator: 'GTE', value: '10' },
            { propertyName: 'amount', operator: 'LT', value: '50' },
          ],
        },
        { filters: [{ propertyName: 'dealname', operator: 'EQ', value: 'Deal E' }] },
      ],
      sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }],
      properties: ['dealname'],
      limit: 2,
    };
    const first = await search(body);
    expect([first.body.total, names(first.body), first.body.paging.next.after]).toEqual([
      3,
      ['Deal D', 'Deal B'],
      '2',
    ]);
    const second = await search({ ...body, after: first.body.paging.next.after });
    expect([names(second.body), second.body.paging]).toEqual([['Deal E'], undefined]);
    const keyset = await search({
      ...filter('hs_object_id', 'GT', { value: deals[2] }),
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
    });
    expect(keyset.body.results.map((r: { id: string }) => r.id)).toEqual(deals.slice(3));
    const sortedByString = await search({ sorts: ['-dealname'], properties: ['dealname'], limit: 1 });
    expect(names(sortedByString.body)).toEqual(['Deal E']);
  });

  it('enforces HubSpot limits: groups, filters, page size and the 10,000-result cap', async () => {
    const many = (groups: number, perGroup: number) => ({
      filterGroups: Array.from({ length: groups }, () => ({
        filters: Array.from({ length: perGroup }, () => ({
          propertyName: 'amount',
          operator: 'HAS_PROPERTY',
        })),
      })),
    });
    // Five groups, six filters a group, eighteen in all.
    expect((await search(many(5, 3))).status).toBe(200);
    expect((await search(many(3, 6))).status).toBe(200);
    expect((await search(many(6, 1))).status).toBe(400);
    expect((await search(many(1, 7))).status).toBe(400);
    const tooMany = await search(many(4, 5));
    expect([tooMany.status, tooMany.body.category]).toEqual([400, 'VALIDATION_ERROR']);
    expect((await search({ limit: 201 })).status).toBe(400);
    expect((await search({ limit: 200, after: '9800' })).status).toBe(200);
    const capped = await search({ limit: 200, after: '9801' });
    expect([capped.status, capped.body]).toEqual([
      400,
      {
        status: 'error',
        message: 'There was a problem with the request.',
        correlationId: expect.any(String),
        category: 'VALIDATION_ERROR',
      },
    ]);
    expect((await search(filter('no_such_property', 'EQ', { value: 'x' }))).status).toBe(400);
  });

  it('cannot page a large result set past 10,000 but can walk it by keyset', async () => {
    const { contacts } = await seed(sandbox, {
      contacts: Array.from({ length: 10_050 }, (_, i) => ({ properties: { email: `bulk${i}@example.com` } })),
    });
    const last = await search({ limit: 100, after: '9900', sorts: ['hs_object_id'] }, 'contacts');
    expect([last.body.total, last.body.paging.next.after]).toEqual([10_050, '10000']);
    expect((await search({ limit: 100, after: '10000' }, 'contacts')).status).toBe(400);
    const tail = await search(
      { ...filter('hs_object_id', 'GT', { value: contacts[9_999] }), sorts: ['hs_object_id'], limit: 100 },
      'contacts',
    );
    expect(tail.body.results.map((r: { id: string }) => r.id)).toEqual(contacts.slice(10_000));
  });
});

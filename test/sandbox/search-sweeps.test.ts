import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { client, seed, startTestSandbox } from './sandbox-test-helpers.ts';

/*
 * What a reconciliation sweep relies on: "modified since" filters on the last-modified date and
 * the record id, ascending sorts on both, ORed groups for a keyset over ties, 200 a page, and no
 * deleted or merged-away record in the results. Group and filter limits and the 10,000 cap are in
 * search.test.ts.
 */
const T0 = Date.UTC(2026, 5, 1, 8);
const T1 = T0 + 3_600_000;
const T2 = T1 + 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

let sandbox: RunningSandbox;
let call: ReturnType<typeof client>;
let c: string[];
let d: string[];

beforeAll(async () => {
  sandbox = await startTestSandbox({ freezeClock: true, now: T0 });
  call = client(sandbox);
  ({ contacts: c, deals: d } = await seed(sandbox, {
    contacts: Array.from({ length: 250 }, (_, i) => ({ properties: { email: `s${i}@example.com` } })),
    deals: [{}, {}, {}],
  }));
  const touch = (type: string, id: string | undefined) =>
    call('PATCH', `/crm/v3/objects/${type}/${id}`, { properties: {} });
  await call('POST', '/__sandbox/clock', { now: T1 });
  await touch('contacts', c[20]);
  await touch('contacts', c[10]);
  await call('POST', '/__sandbox/clock', { now: T2 });
  await touch('contacts', c[30]);
  await touch('contacts', c[5]);
  await touch('deals', d[1]);
});
afterAll(() => sandbox.close());

type Filter = [propertyName: string, operator: string, value: string];

async function ids(type: string, groups: Filter[][], sorts: string[] = ['hs_object_id'], limit = 200) {
  const result = await call('POST', `/crm/v3/objects/${type}/search`, {
    filterGroups: groups.map((g) => ({
      filters: g.map(([propertyName, operator, value]) => ({ propertyName, operator, value })),
    })),
    sorts: sorts.map((propertyName) => ({ propertyName, direction: 'ASCENDING' })),
    limit,
  });
  expect(result.status).toBe(200);
  return { total: result.body.total as number, ids: result.body.results.map((r: { id: string }) => r.id) };
}

describe('search for sweeps', () => {
  it('filters on the last-modified date with GT, GTE, EQ and LT, as ISO or epoch milliseconds', async () => {
    expect((await ids('contacts', [[['lastmodifieddate', 'GT', iso(T1)]]])).ids).toEqual([c[5], c[30]]);
    expect((await ids('contacts', [[['lastmodifieddate', 'GTE', String(T1)]]])).ids).toEqual([
      c[5],
      c[10],
      c[20],
      c[30],
    ]);
    expect((await ids('contacts', [[['lastmodifieddate', 'EQ', iso(T1)]]])).ids).toEqual([c[10], c[20]]);
    expect((await ids('contacts', [[['lastmodifieddate', 'LT', String(T1)]]])).total).toBe(246);
    expect((await ids('deals', [[['hs_lastmodifieddate', 'GTE', iso(T2)]]])).ids).toEqual([d[1]]);
    expect((await ids('deals', [[['hs_lastmodifieddate', 'LT', iso(T2)]]])).ids).toEqual([d[0], d[2]]);
  });

  it('filters on hs_object_id with GT, GTE, EQ and LT', async () => {
    expect((await ids('deals', [[['hs_object_id', 'GT', d[0] as string]]])).ids).toEqual([d[1], d[2]]);
    expect((await ids('deals', [[['hs_object_id', 'GTE', d[1] as string]]])).ids).toEqual([d[1], d[2]]);
    expect((await ids('deals', [[['hs_object_id', 'EQ', d[2] as string]]])).ids).toEqual([d[2]]);
    expect((await ids('deals', [[['hs_object_id', 'LT', d[1] as string]]])).ids).toEqual([d[0]]);
  });

  it('sorts ascending by the last-modified date, and walks ties by id with ORed groups', async () => {
    const since = await ids(
      'contacts',
      [[['lastmodifieddate', 'GTE', iso(T1)]]],
      ['lastmodifieddate', 'hs_object_id'],
    );
    expect(since.ids).toEqual([c[10], c[20], c[5], c[30]]);
    // The next page of a sweep after (T1, c[10]): same instant with a greater id, or any later instant.
    const next = await ids(
      'contacts',
      [
        [
          ['lastmodifieddate', 'EQ', iso(T1)],
          ['hs_object_id', 'GT', c[10] as string],
        ],
        [['lastmodifieddate', 'GT', iso(T1)]],
      ],
      ['lastmodifieddate', 'hs_object_id'],
    );
    expect(next.ids).toEqual([c[20], c[5], c[30]]);
  });

  it('gives 200 a page at most', async () => {
    const page = await call('POST', '/crm/v3/objects/contacts/search', {
      limit: 200,
      sorts: ['hs_object_id'],
    });
    expect([page.body.results.length, page.body.paging.next.after]).toEqual([200, '200']);
    expect((await call('POST', '/crm/v3/objects/contacts/search', { limit: 201 })).status).toBe(400);
  });

  it('never returns deleted or merged-away records', async () => {
    await call('DELETE', `/crm/v3/objects/contacts/${c[1]}`);
    const merged = await call('POST', '/crm/v3/objects/contacts/merge', {
      primaryObjectId: c[2],
      objectIdToMerge: c[3],
    });
    expect(merged.status).toBe(200);
    const gone = [c[1], c[2], c[3]] as string[];
    const everything = await ids('contacts', [], ['hs_object_id'], 200);
    expect(everything.total).toBe(248);
    const byId = await call('POST', '/crm/v3/objects/contacts/search', {
      filterGroups: [
        { filters: [{ propertyName: 'hs_object_id', operator: 'IN', values: [...gone, merged.body.id] }] },
      ],
    });
    expect(byId.body.results.map((r: { id: string }) => r.id)).toEqual([merged.body.id]);
    const recent = await ids('contacts', [[['lastmodifieddate', 'GTE', iso(T2)]]]);
    expect(recent.ids).toEqual([c[5], c[30], merged.body.id]);
    for (const id of gone) expect((await ids('contacts', [[['hs_object_id', 'EQ', id]]])).total).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { TransientError } from '../../src/errors.ts';
import {
  listObjects,
  readAssociations,
  readObjects,
  searchObjects,
  updateBatch,
} from '../../src/hubspot/crm.ts';
import { fakeHubSpot, hubspot, strictNock } from '../support/hubspot-fakes.ts';

strictNock();

const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => String(from + i));
const contact = (id: string) => ({ id, properties: { email: `${id}@example.com` } });
const notFound = (missing: string[]) => ({
  status: 'error',
  category: 'OBJECT_NOT_FOUND',
  message: `Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid. ${missing.join(', ')}`,
  context: { ids: missing },
});

/** Answers a batch read with every requested id, recording each request body. */
function echoBatchRead(type: string, bodies: unknown[], times: number) {
  hubspot()
    .post(`/crm/v3/objects/${type}/batch/read`)
    .times(times)
    .reply(async (request: Request) => {
      const body = (await request.json()) as { inputs: { id: string }[] };
      bodies.push(body);
      return [200, { status: 'COMPLETE', results: body.inputs.map((input) => contact(input.id)) }];
    });
}

describe('readObjects', () => {
  it('reads 100 ids per call, sending the properties and ids HubSpot expects', async () => {
    const { http, budget } = fakeHubSpot();
    const wanted = ids(1, 250);
    const bodies: unknown[] = [];
    echoBatchRead('contacts', bodies, 3);

    const result = await readObjects(http, 'contacts', wanted, ['email', 'lifecyclestage'], 'background');

    expect(bodies).toEqual([
      { properties: ['email', 'lifecyclestage'], inputs: wanted.slice(0, 100).map((id) => ({ id })) },
      { properties: ['email', 'lifecyclestage'], inputs: wanted.slice(100, 200).map((id) => ({ id })) },
      { properties: ['email', 'lifecyclestage'], inputs: wanted.slice(200).map((id) => ({ id })) },
    ]);
    expect(result.objects.map((object) => object.id)).toEqual(wanted);
    expect(result.missing).toEqual([]);
    expect(budget.acquired).toEqual(['background', 'background', 'background']);
  });

  it('asks for a repeated id once', async () => {
    const { http } = fakeHubSpot();
    const bodies: unknown[] = [];
    echoBatchRead('deals', bodies, 1);

    await readObjects(http, 'deals', ['7', '8', '7'], ['amount'], 'live');

    expect(bodies).toEqual([{ properties: ['amount'], inputs: [{ id: '7' }, { id: '8' }] }]);
  });

  it('makes no call for no ids', async () => {
    const { http, budget } = fakeHubSpot();

    expect(await readObjects(http, 'contacts', [], ['email'], 'live')).toEqual({ objects: [], missing: [] });
    expect(budget.acquired).toEqual([]);
  });

  it('reports ids HubSpot answers OBJECT_NOT_FOUND for (207) as missing', async () => {
    const { http } = fakeHubSpot();
    hubspot()
      .post('/crm/v3/objects/contacts/batch/read')
      .reply(207, { status: 'COMPLETE', results: [contact('1'), contact('3')], errors: [notFound(['2'])] });

    const result = await readObjects(http, 'contacts', ['1', '2', '3'], ['email'], 'live');

    expect(result.objects.map((object) => object.id)).toEqual(['1', '3']);
    expect(result.missing).toEqual(['2']);
  });

  it('reports an id absent from the results as missing even when no error names it', async () => {
    const { http } = fakeHubSpot();
    hubspot()
      .post('/crm/v3/objects/contacts/batch/read')
      .reply(200, { status: 'COMPLETE', results: [contact('1')] });

    const result = await readObjects(http, 'contacts', ['1', '2'], ['email'], 'live');

    expect(result.missing).toEqual(['2']);
  });

  it.each(['CONFLICT', 'VALIDATION_ERROR', 'RATE_LIMITS'])(
    'fails the whole read as transient on a 207 %s error (after trying it three times), so the job re-reads rather than losing records',
    async (category) => {
      const { http } = fakeHubSpot();
      hubspot()
        .post('/crm/v3/objects/contacts/batch/read')
        .times(3)
        .reply(207, {
          status: 'COMPLETE',
          results: [contact('1')],
          errors: [
            notFound(['2']),
            { status: 'error', category, message: 'try again', context: { ids: ['3'] } },
          ],
        });

      await expect(readObjects(http, 'contacts', ['1', '2', '3'], ['email'], 'live')).rejects.toThrow(
        TransientError,
      );
    },
  );

  it('names the call when HubSpot answers an unexpected shape', async () => {
    const { http } = fakeHubSpot();
    hubspot().post('/crm/v3/objects/deals/batch/read').reply(200, { results: 'nope' });

    await expect(readObjects(http, 'deals', ['1'], ['amount'], 'live')).rejects.toThrow(/deals batch read/);
  });
});

describe('readAssociations', () => {
  const PATH = '/crm/v4/associations/contacts/deals/batch/read';
  const link = (toObjectId: number | string) => ({
    toObjectId,
    associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 4, label: null }],
  });

  it('reads up to 1,000 ids per call', async () => {
    const { http } = fakeHubSpot();
    const wanted = ids(1, 1500);
    const bodies: { inputs: unknown[] }[] = [];
    hubspot()
      .post(PATH)
      .times(2)
      .reply(async (request: Request) => {
        const body = (await request.json()) as { inputs: { id: string }[] };
        bodies.push(body);
        return [200, { status: 'COMPLETE', results: [] }];
      });

    await readAssociations(http, 'contacts', 'deals', wanted, 'background');

    expect(bodies).toEqual([
      { inputs: wanted.slice(0, 1000).map((id) => ({ id })) },
      { inputs: wanted.slice(1000).map((id) => ({ id })) },
    ]);
  });

  it('follows each input’s own paging.next.after in later calls until it is exhausted', async () => {
    const { http } = fakeHubSpot();
    hubspot()
      .post(PATH, { inputs: [{ id: '1' }, { id: '2' }] })
      .reply(200, {
        status: 'COMPLETE',
        results: [
          {
            from: { id: '1' },
            to: [link(10), link(11)],
            paging: { next: { after: 'p1', link: '?after=p1' } },
          },
          { from: { id: '2' }, to: [link(20)] },
        ],
      });
    // Only the input that had more pages is asked again, with its own cursor.
    hubspot()
      .post(PATH, { inputs: [{ id: '1', after: 'p1' }] })
      .reply(200, {
        status: 'COMPLETE',
        results: [{ from: { id: '1' }, to: [link(12)], paging: { next: { after: 'p2' } } }],
      });
    hubspot()
      .post(PATH, { inputs: [{ id: '1', after: 'p2' }] })
      .reply(200, { status: 'COMPLETE', results: [{ from: { id: '1' }, to: [link(13)] }] });

    const associated = await readAssociations(http, 'contacts', 'deals', ['1', '2'], 'live');

    expect(Object.fromEntries(associated)).toEqual({ '1': ['10', '11', '12', '13'], '2': ['20'] });
  });

  it.each([
    ['a number', 5001],
    ['a string', '5001'],
  ])('accepts toObjectId as %s and answers string ids', async (_, toObjectId) => {
    const { http } = fakeHubSpot();
    hubspot()
      .post('/crm/v4/associations/deals/contacts/batch/read')
      .reply(200, { status: 'COMPLETE', results: [{ from: { id: '9' }, to: [link(toObjectId)] }] });

    const associated = await readAssociations(http, 'deals', 'contacts', ['9'], 'live');

    expect(associated.get('9')).toEqual(['5001']);
  });

  it('answers an empty list for an id HubSpot says has no associations', async () => {
    const { http } = fakeHubSpot();
    hubspot()
      .post(PATH)
      .reply(207, {
        status: 'COMPLETE',
        results: [{ from: { id: '1' }, to: [link(10)] }],
        errors: [
          {
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
            message: 'No deals are associated with contact 2.',
            context: { fromObjectId: ['2'] },
          },
        ],
      });

    const associated = await readAssociations(http, 'contacts', 'deals', ['1', '2'], 'live');

    expect(Object.fromEntries(associated)).toEqual({ '1': ['10'], '2': [] });
  });

  it('fails as transient on any other 207 error (after trying three times), rather than reading the input as having no associations', async () => {
    const { http } = fakeHubSpot();
    hubspot()
      .post(PATH)
      .times(3)
      .reply(207, {
        status: 'COMPLETE',
        results: [{ from: { id: '1' }, to: [link(10)] }],
        errors: [{ status: 'error', category: 'CONFLICT', message: 'retry these', context: { ids: ['2'] } }],
      });

    await expect(readAssociations(http, 'contacts', 'deals', ['1', '2'], 'live')).rejects.toThrow(
      TransientError,
    );
  });
});

describe('updateBatch', () => {
  const PATH = '/crm/v3/objects/contacts/batch/update';
  // A plain object type (not the UpdateInput interface) so nock accepts it as a body matcher.
  const input = (id: string) => ({ id, properties: { closeloop_lead_score: `${id}0` } });
  const updated = (id: string) => ({ id, properties: { closeloop_lead_score: `${id}0` } });

  it('sends the inputs as they are and reports them all updated on a 200', async () => {
    const { http, budget } = fakeHubSpot();
    const inputs = [input('1'), input('2')];
    hubspot()
      .post(PATH, { inputs })
      .reply(200, { status: 'COMPLETE', results: [updated('1'), updated('2')] });

    const result = await updateBatch(http, 'contacts', inputs, 'background');

    expect(result).toEqual({ updated: ['1', '2'], gone: [], retry: [], moved: [], overwritten: [] });
    expect(budget.acquired).toEqual(['background']);
  });

  it('gives up on inputs HubSpot answers OBJECT_NOT_FOUND for (207)', async () => {
    const { http } = fakeHubSpot();
    hubspot()
      .post(PATH)
      .reply(207, { status: 'COMPLETE', results: [updated('1')], errors: [notFound(['2', '3'])] });

    const result = await updateBatch(http, 'contacts', [input('1'), input('2'), input('3')], 'live');

    expect(result).toEqual({ updated: ['1'], gone: ['2', '3'], retry: [], moved: [], overwritten: [] });
  });

  it.each(['CONFLICT', 'VALIDATION_ERROR'])(
    'retries just the inputs a 207 %s error names, with their properties',
    async (category) => {
      const { http } = fakeHubSpot();
      hubspot()
        .post(PATH)
        .reply(207, {
          status: 'COMPLETE',
          results: [updated('1')],
          errors: [notFound(['2']), { status: 'error', category, message: 'no', context: { ids: ['3'] } }],
        });

      const result = await updateBatch(http, 'contacts', [input('1'), input('2'), input('3')], 'live');

      expect(result).toEqual({
        updated: ['1'],
        gone: ['2'],
        retry: [input('3')],
        moved: [],
        overwritten: [],
      });
    },
  );

  it('retries inputs HubSpot neither returned nor named, since they did not land either', async () => {
    const { http } = fakeHubSpot();
    hubspot()
      .post(PATH)
      .reply(207, {
        status: 'COMPLETE',
        results: [updated('1')],
        errors: [{ status: 'error', category: 'INTERNAL_ERROR', message: 'something went wrong' }],
      });

    const result = await updateBatch(http, 'contacts', [input('1'), input('2'), input('3')], 'live');

    expect(result).toEqual({
      updated: ['1'],
      gone: [],
      retry: [input('2'), input('3')],
      moved: [],
      overwritten: [],
    });
  });

  it('reports an input HubSpot answered under another id (merged into it) as moved, not to retry', async () => {
    const { http } = fakeHubSpot();
    // 2 was merged into 9: HubSpot resolves the old id and answers with the survivor.
    hubspot()
      .post(PATH)
      .reply(200, { status: 'COMPLETE', results: [updated('1'), updated('9')] });

    const result = await updateBatch(http, 'contacts', [input('1'), input('2')], 'live');

    expect(result).toEqual({ updated: ['1'], gone: [], retry: [], moved: ['2'], overwritten: ['9'] });
  });

  it('reports a survivor asked for in the same batch as its merged id as moved and overwritten', async () => {
    const { http } = fakeHubSpot();
    // 2 was merged into 1: HubSpot answers 1 twice, and whichever input it applied last is what 1 shows.
    hubspot()
      .post(PATH)
      .reply(200, { status: 'COMPLETE', results: [updated('1'), updated('1')] });

    const result = await updateBatch(http, 'contacts', [input('1'), input('2')], 'live');

    expect(result).toEqual({ updated: ['1'], gone: [], retry: [], moved: ['2'], overwritten: ['1'] });
  });
});

describe('listObjects', () => {
  it.each([
    ['the first page, without a cursor', undefined, { limit: '100', properties: 'dealname,amount' }],
    ['a later page, with its cursor', 'MTAw', { limit: '100', properties: 'dealname,amount', after: 'MTAw' }],
  ])('asks for %s', async (_, after, query) => {
    const { http } = fakeHubSpot();
    hubspot()
      .get('/crm/v3/objects/deals')
      .query(query)
      .reply(200, {
        results: [{ id: '1', properties: { dealname: 'A' } }],
        paging: { next: { after: 'MjAw', link: 'https://api.hubapi.com/crm/v3/objects/deals?after=MjAw' } },
      });

    const page = await listObjects(http, 'deals', ['dealname', 'amount'], after, 'background');

    expect(page.objects.map((object) => object.id)).toEqual(['1']);
    expect(page.after).toBe('MjAw');
  });

  it('answers no cursor on the last page', async () => {
    const { http } = fakeHubSpot();
    hubspot()
      .get('/crm/v3/objects/contacts')
      .query({ limit: '100', properties: 'email' })
      .reply(200, { results: [] });

    expect(await listObjects(http, 'contacts', ['email'], undefined, 'background')).toEqual({
      objects: [],
      after: undefined,
    });
  });
});

describe('searchObjects', () => {
  it('posts one filter group with sorts, properties and a 200 limit, on the search budget', async () => {
    const { http, budget, searchBudget } = fakeHubSpot();
    const filters = [
      { propertyName: 'lastmodifieddate', operator: 'GTE' as const, value: '1700000000000' },
      { propertyName: 'hs_object_id', operator: 'GT' as const, value: '500' },
    ];
    const sorts = [{ propertyName: 'hs_object_id', direction: 'ASCENDING' as const }];
    hubspot()
      .post('/crm/v3/objects/contacts/search', {
        filterGroups: [{ filters }],
        sorts,
        properties: ['email'],
        limit: 200,
      })
      .reply(200, { total: 2, results: [contact('501'), contact('502')] });

    const page = await searchObjects(
      http,
      'contacts',
      { filters, sorts, properties: ['email'] },
      'background',
    );

    expect(page.total).toBe(2);
    expect(page.objects.map((object) => object.id)).toEqual(['501', '502']);
    expect(searchBudget.acquired).toEqual(['background']);
    expect(budget.acquired).toEqual([]);
  });
});

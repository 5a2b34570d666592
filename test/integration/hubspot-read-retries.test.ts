import { describe, expect, it } from 'vitest';
import { TransientError } from '../../src/errors.ts';
import { readAssociations, readObjects } from '../../src/hubspot/crm.ts';
import { fakeHubSpot, hubspot, strictNock } from '../support/hubspot-fakes.ts';

strictNock();

const contact = (id: string) => ({ id, properties: { email: `${id}@example.com` } });
const failure = { status: 'error', category: 'INTERNAL_ERROR', message: 'internal error' };

describe('batch reads HubSpot fails transiently', () => {
  it('are tried again and return what the next answer holds', async () => {
    const { http } = fakeHubSpot();
    hubspot().post('/crm/v3/objects/contacts/batch/read').reply(502, failure);
    hubspot().post('/crm/v3/objects/contacts/batch/read').reply(503, failure);
    hubspot()
      .post('/crm/v3/objects/contacts/batch/read')
      .reply(200, { status: 'COMPLETE', results: [contact('1'), contact('2')] });

    const result = await readObjects(http, 'contacts', ['1', '2'], ['email'], 'live');

    expect(result.objects.map((object) => object.id)).toEqual(['1', '2']);
  });

  it('fail the read after the third failure in a row', async () => {
    const { http } = fakeHubSpot();
    hubspot().post('/crm/v4/associations/contacts/deals/batch/read').times(3).reply(500, failure);

    await expect(readAssociations(http, 'contacts', 'deals', ['1'], 'live')).rejects.toThrow(TransientError);
  });

  it('are not tried again when HubSpot refuses them for good', async () => {
    const { http } = fakeHubSpot();
    hubspot()
      .post('/crm/v3/objects/deals/batch/read')
      .reply(400, { status: 'error', category: 'VALIDATION_ERROR', message: 'bad property' });

    await expect(readObjects(http, 'deals', ['1'], ['nope'], 'live')).rejects.not.toThrow(TransientError);
  });
});

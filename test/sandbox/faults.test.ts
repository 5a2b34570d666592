import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { client, seed, startTestSandbox } from './sandbox-test-helpers.ts';

let sandboxes: RunningSandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
  sandboxes = [];
});

async function start(overrides = {}) {
  const sandbox = await startTestSandbox(overrides);
  sandboxes.push(sandbox);
  return { sandbox, call: client(sandbox) };
}

describe('injected faults', () => {
  it.each(['429', '423', '500', '502', '503', '504'])(
    '%s answers at once and applies nothing',
    async (kind) => {
      const { sandbox, call } = await start({ failRate: 1, faults: [kind] });
      const created = await call('POST', '/crm/v3/objects/contacts', {
        properties: { email: 'x@example.com' },
      });
      expect(created.status).toBe(Number(kind));
      expect(created.body).toMatchObject({ status: 'error', correlationId: expect.any(String) });
      if (kind === '429')
        expect(created.body).toMatchObject({ errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
      else expect(created.body.category).toEqual(expect.any(String));
      expect(sandbox.stats().records.contacts).toBe(0);
      expect((await call('GET', '/__sandbox/stats')).status).toBe(200);
    },
  );

  it('timeout holds the request, then drops the socket without applying it', async () => {
    const { sandbox, call } = await start({ failRate: 1, faults: ['timeout'], timeoutHoldMs: 300 });
    const started = Date.now();
    await expect(
      call('POST', '/crm/v3/objects/deals', { properties: { dealname: 'Lost in transit' } }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(sandbox.stats().records.deals).toBe(0);
  });

  it('slow delays the answer and then applies the call normally', async () => {
    const { sandbox, call } = await start({ failRate: 1, faults: ['slow'], slowMs: 200 });
    const started = Date.now();
    const created = await call('POST', '/crm/v3/objects/deals', { properties: { dealname: 'Eventually' } });
    expect([created.status, Date.now() - started >= 190]).toEqual([201, true]);
    expect(sandbox.stats().records.deals).toBe(1);
  });

  it('207 fails part of a batch and applies only the rest', async () => {
    const { sandbox, call } = await start({ seed: 7 });
    const { contacts } = await seed(sandbox, {
      contacts: Array.from({ length: 10 }, (_, i) => ({ properties: { firstname: `n${i}` } })),
    });
    await call('POST', '/__sandbox/config', { failRate: 1, faults: ['207'] });
    const result = await call('POST', '/crm/v3/objects/contacts/batch/update', {
      inputs: contacts.map((id) => ({ id, properties: { firstname: 'changed' } })),
    });
    expect(result.status).toBe(207);
    const failedIds: string[] = result.body.errors[0].context.ids;
    expect(result.body).toMatchObject({
      status: 'COMPLETE',
      numErrors: 1,
      errors: [{ status: 'error', category: expect.any(String) }],
    });
    expect(failedIds.length).toBeGreaterThan(0);
    expect(result.body.results.map((r: { id: string }) => r.id).sort()).toEqual(
      contacts.filter((id) => !failedIds.includes(id)).sort(),
    );
    await call('POST', '/__sandbox/config', { failRate: 0 });
    const read = await call('POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: contacts.map((id) => ({ id })),
      properties: ['firstname'],
    });
    for (const record of read.body.results) {
      expect(record.properties.firstname === 'changed').toBe(!failedIds.includes(record.id));
    }
    await call('POST', '/__sandbox/config', { failRate: 1, faults: ['207'] });
    expect((await call('GET', `/crm/v3/objects/contacts/${contacts[0]}`)).status).toBe(200);
  });

  it('is reproducible for a given seed', async () => {
    const statuses = async () => {
      const { call } = await start({ seed: 42, failRate: 0.5, faults: ['500', '503'] });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await call('GET', '/crm/v3/objects/contacts')).status);
      return out;
    };
    const first = await statuses();
    expect(await statuses()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 500, 503]));
  });
});

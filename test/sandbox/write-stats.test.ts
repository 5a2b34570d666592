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

const UPDATE = '/crm/v3/objects/contacts/batch/update';

describe('batch-update write counts', () => {
  it('count inputs that changed nothing, and those whose only change was one property', async () => {
    const { sandbox, call } = await start();
    const { contacts } = await seed(sandbox, {
      contacts: [{ properties: { firstname: 'Ada', lastname: 'L' } }, { properties: { firstname: 'Bo' } }],
    });
    const [a, b] = contacts as [string, string];
    await call('POST', UPDATE, {
      inputs: [
        { id: a, properties: { firstname: 'Ada', lastname: 'L' } },
        { id: b, properties: { firstname: 'Bea', lastname: 'K' } },
      ],
    });
    await call('POST', UPDATE, { inputs: [{ id: b, properties: { firstname: 'Bea', lastname: 'M' } }] });
    // The same input again: applied twice, changing nothing the second time.
    await call('POST', UPDATE, { inputs: [{ id: b, properties: { lastname: 'M', firstname: 'Bea' } }] });

    const expected = { contacts: { inputs: 4, unchanged: 2, onlyChanged: { lastname: 1 }, repeated: 1 } };
    expect(sandbox.stats().writes).toEqual(expected);
    expect((await call('GET', '/__sandbox/stats')).body.writes).toEqual(expected);
  });

  it('do not count inputs a 207 failed, which are not applied', async () => {
    const { sandbox, call } = await start({ seed: 3 });
    const { contacts } = await seed(sandbox, {
      contacts: Array.from({ length: 8 }, (_, i) => ({ properties: { firstname: `n${i}` } })),
    });
    await call('POST', '/__sandbox/config', { failRate: 1, faults: ['207'] });
    const result = await call('POST', UPDATE, {
      inputs: contacts.map((id) => ({ id, properties: { firstname: 'same-for-all' } })),
    });
    expect(result.status).toBe(207);
    const applied = result.body.results.length;
    expect(applied).toBeLessThan(contacts.length);
    // Each applied input changed its one property; the failed ones changed nothing and are not counted.
    expect(sandbox.stats().writes).toEqual({
      contacts: { inputs: applied, unchanged: 0, onlyChanged: { firstname: applied }, repeated: 0 },
    });
  });

  it('start again from nothing on reset', async () => {
    const { sandbox, call } = await start();
    const { contacts } = await seed(sandbox, { contacts: [{ properties: { firstname: 'x' } }] });
    await call('POST', UPDATE, { inputs: [{ id: contacts[0], properties: { firstname: 'x' } }] });
    expect(sandbox.stats().writes.contacts?.unchanged).toBe(1);
    sandbox.reset();
    expect(sandbox.stats().writes).toEqual({});
  });
});

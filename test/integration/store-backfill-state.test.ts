import { describe, expect, it } from 'vitest';
import { type BackfillState, backfillState, dropGeneration } from '../../src/store/backfill-state.ts';
import { portalKeys } from '../../src/store/keys.ts';
import { storeFixture } from '../support/store-fixtures.ts';

const store = storeFixture(import.meta.filename);
const redis = store.connect();

describe('backfill state', () => {
  it('saves, loads and clears the progress of a rebuild', async () => {
    const state = backfillState(redis, store.freshKeys());
    expect(await state.load()).toBeUndefined();

    const saved: BackfillState = {
      generation: 3,
      phase: 'associations',
      cursor: '1200',
      counts: { contacts: 1200, deals: 340 },
      reason: 'settings changed',
    };
    await state.save(saved);
    expect(await state.load()).toEqual(saved);

    // The next page overwrites it; a state without a cursor round-trips without one.
    const next: BackfillState = { generation: 3, phase: 'swap', counts: { contacts: 1500 }, reason: 'x' };
    await state.save(next);
    expect(await state.load()).toEqual(next);

    await state.clear();
    expect(await state.load()).toBeUndefined();
  });

  it('refuses a saved state it cannot read rather than resuming from garbage', async () => {
    const keys = store.freshKeys();
    await redis.set(`${keys.base}:backfill:state`, JSON.stringify({ generation: 2, phase: 'nowhere' }));
    await expect(backfillState(redis, keys).load()).rejects.toThrow();
  });

  it('lets one backfill at a time run per portal', async () => {
    const keys = store.freshKeys();
    const first = backfillState(redis, keys).lease('run-1', 60_000);
    const second = backfillState(redis, keys).lease('run-2', 60_000);
    expect(await first.take()).toBe(true);
    expect(await second.take()).toBe(false);
    await first.release();
    expect(await second.take()).toBe(true);
  });
});

describe('dropGeneration', () => {
  it('deletes every key of that generation and nothing else', async () => {
    const keys = store.freshKeys();
    const otherPortal = portalKeys(store.prefix, 1);
    const doomed = keys.projection(1);
    // More keys than one SCAN page (COUNT 1000), so the cursor loop has to go round.
    const members = Array.from({ length: 2_500 }, (_, index) => `${doomed.leadMembers}campaign-${index}`);
    const survivors = [
      keys.projection(10).leads, // g10 starts like g1
      keys.projection(2).totals,
      keys.projection(2).meaning,
      `${keys.projection(2).leadMembers}ads`,
      keys.generation,
      keys.building,
      keys.pending('contact'),
      `${keys.base}:backfill:state`,
      otherPortal.projection(1).leads,
    ];
    const doomedKeys = [
      doomed.meaning,
      doomed.contacts,
      doomed.deals,
      doomed.leads,
      doomed.totals,
      doomed.dealCampaigns,
      `${doomed.dealMembers}ads`,
      ...members,
    ];
    const write = redis.pipeline();
    for (const key of [...doomedKeys, ...survivors]) write.set(key, '1');
    await write.exec();

    await dropGeneration(redis, keys, 1);

    expect(await redis.exists(...doomedKeys)).toBe(0);
    expect(await redis.exists(...survivors)).toBe(survivors.length);
  });

  it('does nothing when the generation has no keys', async () => {
    const keys = store.freshKeys();
    await redis.set(keys.projection(2).leads, '1');
    await dropGeneration(redis, keys, 7);
    expect(await redis.exists(keys.projection(2).leads)).toBe(1);
  });
});

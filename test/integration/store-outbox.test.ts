import { describe, expect, it } from 'vitest';
import { fingerprint, type RecordValues } from '../../src/core/record-values.ts';
import { bucketKey } from '../../src/store/buckets.ts';
import { outbox, SCORED_AT } from '../../src/store/outbox.ts';
import { migrateWritten } from '../../src/store/written-migration.ts';
import { storeFixture } from '../support/store-fixtures.ts';

const store = storeFixture(import.meta.filename);
const redis = store.connect();
const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);
const LATER = NOW + 60_000;

/** An outbox on keys no other test uses. */
function freshOutbox() {
  const keys = store.freshKeys();
  return { keys, box: outbox(redis, keys) };
}

const contactValues = (score: string): RecordValues => ({
  closeloop_campaign: 'ads',
  closeloop_lead_score: score,
  closeloop_lead_grade: 'B',
});
const blank: RecordValues = { closeloop_campaign: '', closeloop_lead_score: '', closeloop_lead_grade: '' };

describe('outbox', () => {
  it('queues contacts stamped with closeloop_scored_at, and deals as they are', async () => {
    const { box } = freshOutbox();
    expect(await box.stage('contacts', new Map([['c1', contactValues('40')]]), NOW)).toEqual({
      queued: 1,
      unchanged: 0,
    });
    await box.stage('deals', new Map([['d1', { closeloop_campaign: 'ads' }]]), NOW);
    const [contact] = await box.next('contacts', 10);
    expect(contact?.id).toBe('c1');
    expect(contact?.properties).toEqual({ ...contactValues('40'), [SCORED_AT]: '2026-03-01T12:00:00.000Z' });
    // `raw` is what is stored, so the acknowledgement can tell it apart from a later restage.
    expect(JSON.parse(contact?.raw ?? '')).toEqual(contact?.properties);
    expect((await box.next('deals', 10)).map((write) => write.properties)).toEqual([
      { closeloop_campaign: 'ads' },
    ]);
  });

  it('does not queue what HubSpot already shows, and queues what differs from it', async () => {
    const { box, keys } = freshOutbox();
    await box.stage('contacts', new Map([['c1', contactValues('40')]]), NOW);
    await box.accepted('contacts', await box.next('contacts', 10));
    // The fingerprint is of the values without the timestamp, which changes only with them.
    expect(await redis.hget(bucketKey(keys.written('contacts'), 'c1'), 'c1')).toBe(
      fingerprint(contactValues('40')),
    );
    expect(await box.size('contacts')).toBe(0);

    expect(await box.stage('contacts', new Map([['c1', contactValues('40')]]), LATER)).toEqual({
      queued: 0,
      unchanged: 1,
    });
    expect(await box.size('contacts')).toBe(0);
    expect(await box.stage('contacts', new Map([['c1', contactValues('55')]]), LATER)).toEqual({
      queued: 1,
      unchanged: 0,
    });
    expect((await box.next('contacts', 10))[0]?.properties).toMatchObject({ closeloop_lead_score: '55' });
  });

  it('queues nothing for never-written blank values, but clears values once written', async () => {
    const { box } = freshOutbox();
    expect(await box.stage('contacts', new Map([['c1', blank]]), NOW)).toEqual({ queued: 0, unchanged: 1 });
    expect(await box.size('contacts')).toBe(0);

    await box.stage('contacts', new Map([['c2', contactValues('40')]]), NOW);
    await box.accepted('contacts', await box.next('contacts', 10));
    // c2 shows values in HubSpot: blanking them is a real change.
    expect(await box.stage('contacts', new Map([['c2', blank]]), LATER)).toEqual({ queued: 1, unchanged: 0 });
  });

  it('drops a queued write when the values return to what HubSpot shows', async () => {
    const { box } = freshOutbox();
    await box.stage('contacts', new Map([['c1', contactValues('40')]]), NOW);
    await box.accepted('contacts', await box.next('contacts', 10));
    await box.stage('contacts', new Map([['c1', contactValues('55')]]), NOW);
    expect(await box.size('contacts')).toBe(1);
    await box.stage('contacts', new Map([['c1', contactValues('40')]]), LATER);
    expect(await box.size('contacts')).toBe(0);
  });

  it('keeps a write restaged while the earlier one was in flight', async () => {
    const { box, keys } = freshOutbox();
    await box.stage('contacts', new Map([['c1', contactValues('40')]]), NOW);
    const inFlight = await box.next('contacts', 10);
    await box.stage('contacts', new Map([['c1', contactValues('55')]]), LATER);
    await box.accepted('contacts', inFlight);

    // HubSpot shows 40 now (that is what it accepted), and 55 still waits to be written.
    expect(await redis.hget(bucketKey(keys.written('contacts'), 'c1'), 'c1')).toBe(
      fingerprint(contactValues('40')),
    );
    const [pending] = await box.next('contacts', 10);
    expect(pending?.properties).toEqual({
      ...contactValues('55'),
      [SCORED_AT]: new Date(LATER).toISOString(),
    });
  });

  it('forgets both the queued write and the fingerprint', async () => {
    const { box, keys } = freshOutbox();
    await box.stage('deals', new Map([['d1', { closeloop_campaign: 'ads' }]]), NOW);
    await box.accepted('deals', await box.next('deals', 10));
    await box.stage('deals', new Map([['d1', { closeloop_campaign: 'webinar' }]]), NOW);

    await box.forget('deals', ['d1']);
    expect(await box.size('deals')).toBe(0);
    expect(await redis.hexists(bucketKey(keys.written('deals'), 'd1'), 'd1')).toBe(0);
    // With nothing remembered, the same values count as new again.
    expect(await box.stage('deals', new Map([['d1', { closeloop_campaign: 'ads' }]]), NOW)).toEqual({
      queued: 1,
      unchanged: 0,
    });
  });

  it('returns up to N distinct queued writes', async () => {
    const { box } = freshOutbox();
    const ids = ['c1', 'c2', 'c3', 'c4', 'c5'];
    await box.stage('contacts', new Map(ids.map((id) => [id, contactValues(id)])), NOW);
    const some = await box.next('contacts', 3);
    expect(some).toHaveLength(3);
    expect(new Set(some.map((write) => write.id)).size).toBe(3);
    for (const write of some) expect(write.properties.closeloop_lead_score).toBe(write.id);
    expect((await box.next('contacts', 10)).map((write) => write.id).sort()).toEqual(ids);
    expect(await box.next('deals', 10)).toEqual([]);
  });

  it('takes over the fingerprints an older version kept in one hash, a newer one winning', async () => {
    const { box, keys } = freshOutbox();
    const old = keys.written('contacts');
    const ids = Array.from({ length: 2500 }, (_, index) => `c${index}`);
    await redis.hset(old, Object.fromEntries(ids.map((id) => [id, fingerprint(contactValues(id))])));
    await redis.hset(old, 'd-only', 'x');
    // Written since the upgrade, before the move: kept.
    await box.stage('contacts', new Map([['c1', contactValues('41')]]), NOW);
    await box.accepted('contacts', await box.next('contacts', 10));

    expect(await migrateWritten(redis, keys)).toBe(2501);

    expect(await redis.exists(old)).toBe(0);
    const staged = await box.stage('contacts', new Map(ids.map((id) => [id, contactValues(id)])), NOW);
    // Every record already shows its values but c1, whose newer fingerprint the move kept.
    expect(staged).toEqual({ queued: 1, unchanged: 2499 });
    expect(await migrateWritten(redis, keys)).toBe(0);
  });
});

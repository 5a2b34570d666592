import { describe, expect, it } from 'vitest';
import { workSets } from '../../src/store/work-sets.ts';
import { storeFixture } from '../support/store-fixtures.ts';

const store = storeFixture(import.meta.filename);
const redis = store.connect();

function freshSets() {
  const keys = store.freshKeys();
  return { keys, sets: workSets(redis, keys) };
}

const sorted = (ids: Iterable<string>) => [...ids].sort();

describe('work sets: pending ids', () => {
  it('queues ids per object, and records them as touched only while a backfill builds', async () => {
    const { keys, sets } = freshSets();
    await sets.addPending({ contacts: ['c1', 'c2'], deals: ['d1'] });
    expect(sorted(await redis.smembers(keys.pending('contact')))).toEqual(['c1', 'c2']);
    expect(await redis.smembers(keys.pending('deal'))).toEqual(['d1']);
    expect(await redis.exists(keys.touched('contact'), keys.touched('deal'))).toBe(0);

    await redis.set(keys.building, '2');
    await sets.addPending({ contacts: ['c3'], deals: [] });
    // Touched during the build: re-read on top of the new generation after the swap.
    expect(await redis.smembers(keys.touched('contact'))).toEqual(['c3']);
    expect(await redis.exists(keys.touched('deal'))).toBe(0);
    expect(sorted(await redis.smembers(keys.pending('contact')))).toEqual(['c1', 'c2', 'c3']);
  });

  it('moves taken ids in flight; a retry of the same job gets the same ids back first', async () => {
    const { keys, sets } = freshSets();
    await sets.addPending({ contacts: ['c1', 'c2', 'c3', 'c4', 'c5'], deals: [] });
    const first = await sets.take('contact', 'job-1', 2);
    expect(first).toHaveLength(2);
    expect(await redis.scard(keys.pending('contact'))).toBe(3);

    // The attempt crashed; the retry finds what it held, and takes no more than its limit.
    expect(sorted(await sets.take('contact', 'job-1', 2))).toEqual(sorted(first));
    expect(await redis.scard(keys.pending('contact'))).toBe(3);
    // With room for more, it tops up from pending after what it already held.
    const topped = await sets.take('contact', 'job-1', 3);
    expect(topped).toHaveLength(3);
    expect(topped).toEqual(expect.arrayContaining(first));

    // Another job never sees ids in flight elsewhere.
    const other = await sets.take('contact', 'job-2', 10);
    expect(sorted([...topped, ...other])).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(await sets.hasPending()).toBe(false);
  });

  it('keeps contacts and deals of one job apart', async () => {
    const { sets } = freshSets();
    await sets.addPending({ contacts: ['c1'], deals: ['d1'] });
    expect(await sets.take('contact', 'job', 10)).toEqual(['c1']);
    expect(await sets.take('deal', 'job', 10)).toEqual(['d1']);
  });

  it('gives a failed job’s ids back to pending', async () => {
    const { keys, sets } = freshSets();
    await sets.addPending({ contacts: ['c1', 'c2'], deals: ['d1'] });
    await sets.take('contact', 'job-1', 10);
    await sets.take('deal', 'job-1', 10);
    await sets.addPending({ contacts: ['c3'], deals: [] });

    await sets.giveBack('job-1');
    expect(sorted(await redis.smembers(keys.pending('contact')))).toEqual(['c1', 'c2', 'c3']);
    expect(await redis.smembers(keys.pending('deal'))).toEqual(['d1']);
    // Its in-flight sets are empty: a later retry of job-1 starts from scratch.
    expect(await redis.exists(keys.inflight('contact:job-1'), keys.inflight('deal:job-1'))).toBe(0);
  });

  it('clears a finished job’s ids without returning them', async () => {
    const { keys, sets } = freshSets();
    await sets.addPending({ contacts: ['c1'], deals: ['d1'] });
    await sets.take('contact', 'job-1', 10);
    await sets.take('deal', 'job-1', 10);
    await sets.finish('job-1');
    expect(await redis.exists(keys.inflight('contact:job-1'), keys.inflight('deal:job-1'))).toBe(0);
    expect(await sets.hasPending()).toBe(false);
    expect(await sets.take('contact', 'job-1', 10)).toEqual([]);
  });

  it('drops every pending id', async () => {
    const { sets } = freshSets();
    await sets.addPending({ contacts: ['c1'], deals: ['d1'] });
    expect(await sets.hasPending()).toBe(true);
    await sets.dropPending();
    expect(await sets.hasPending()).toBe(false);
  });
});

describe('work sets: rescoring', () => {
  it('takes every marked id, gives it back on failure and clears it on finish', async () => {
    const { keys, sets } = freshSets();
    await sets.markRescore('contacts', ['c1', 'c2']);
    await sets.markRescore('deals', ['d1']);
    await sets.markRescore('deals', []);

    expect(sorted(await sets.takeRescore('contacts', 'score-1'))).toEqual(['c1', 'c2']);
    expect(await sets.takeRescore('deals', 'score-1')).toEqual(['d1']);
    expect(await redis.exists(keys.rescore('contacts'), keys.rescore('deals'))).toBe(0);

    // Marked while the run was in flight: a retry gets what it held plus the newcomer.
    await sets.markRescore('contacts', ['c3']);
    expect(sorted(await sets.takeRescore('contacts', 'score-1'))).toEqual(['c1', 'c2', 'c3']);

    await sets.giveBackRescore('score-1');
    expect(sorted(await redis.smembers(keys.rescore('contacts')))).toEqual(['c1', 'c2', 'c3']);
    expect(await redis.smembers(keys.rescore('deals'))).toEqual(['d1']);

    expect(sorted(await sets.takeRescore('contacts', 'score-2'))).toEqual(['c1', 'c2', 'c3']);
    await sets.finishRescore('score-2');
    expect(await sets.takeRescore('contacts', 'score-2')).toEqual([]);
    // The deals given back earlier are still waiting: finishing a contacts run does not lose them.
    expect(await sets.takeRescore('deals', 'score-3')).toEqual(['d1']);
  });

  it('takes a burst of 20,000 marked ids whole (more than Lua unpacks at once)', async () => {
    const { keys, sets } = freshSets();
    const ids = Array.from({ length: 20_000 }, (_, i) => `c${i}`);
    await sets.markRescore('contacts', ids);

    expect(sorted(await sets.takeRescore('contacts', 'score-1'))).toEqual(sorted(ids));
    expect(await redis.scard(keys.inflight('rescore:contacts:score-1'))).toBe(20_000);
    expect(await redis.exists(keys.rescore('contacts'))).toBe(0);
  });
});

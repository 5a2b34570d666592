import { describe, expect, it } from 'vitest';
import { type Stamp, type SweepCursor, startCursor, sweepStep } from '../../src/core/sweep-cursor.ts';

const stamps = (...pairs: [string, number][]): Stamp[] =>
  pairs.map(([id, modifiedAt]) => ({ id, modifiedAt }));

describe('sweepStep', () => {
  it('starts with the records modified exactly at the start time, by id', () => {
    expect(startCursor(1000)).toEqual({ at: 1000, afterId: '0', phase: 'same' });
  });

  it.each<[string, SweepCursor, Stamp[], number, { process: string[]; next: SweepCursor | null }]>([
    [
      'a full page at one time continues by id at that time',
      { at: 1000, afterId: '0', phase: 'same' },
      stamps(['5', 1000], ['9', 1000]),
      2,
      { process: ['5', '9'], next: { at: 1000, afterId: '9', phase: 'same' } },
    ],
    [
      'a short page at one time moves on to later times',
      { at: 1000, afterId: '9', phase: 'same' },
      stamps(['12', 1000]),
      2,
      { process: ['12'], next: { at: 1000, afterId: '9', phase: 'later' } },
    ],
    [
      'an empty page at one time moves on to later times',
      { at: 1000, afterId: '0', phase: 'same' },
      [],
      2,
      { process: [], next: { at: 1000, afterId: '0', phase: 'later' } },
    ],
    [
      'a short page of later records ends the sweep',
      { at: 1000, afterId: '0', phase: 'later' },
      stamps(['3', 1001], ['2', 1005]),
      3,
      { process: ['3', '2'], next: null },
    ],
    [
      'an empty page of later records ends the sweep',
      { at: 1000, afterId: '0', phase: 'later' },
      [],
      3,
      { process: [], next: null },
    ],
    [
      'a full page of later records leaves its last timestamp to the id paging',
      { at: 1000, afterId: '0', phase: 'later' },
      stamps(['3', 1001], ['7', 1002], ['2', 1002]),
      3,
      { process: ['3'], next: { at: 1002, afterId: '0', phase: 'same' } },
    ],
    [
      'a full page all at one later time checks nothing yet and pages that time by id',
      { at: 1000, afterId: '0', phase: 'later' },
      stamps(['8', 1003], ['4', 1003]),
      2,
      { process: [], next: { at: 1003, afterId: '0', phase: 'same' } },
    ],
  ])('%s', (_name, cursor, page, pageSize, expected) => {
    expect(sweepStep(cursor, page, pageSize)).toEqual(expected);
  });
});

/** Runs a whole sweep over an in-memory "search", as HubSpot would answer each cursor's query. */
function sweepAll(records: Stamp[], since: number, pageSize: number) {
  const search = (cursor: SweepCursor) =>
    cursor.phase === 'same'
      ? records
          .filter((r) => r.modifiedAt === cursor.at && BigInt(r.id) > BigInt(cursor.afterId))
          .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
          .slice(0, pageSize)
      : records
          .filter((r) => r.modifiedAt > cursor.at)
          // Equal times come back in no particular order, as from HubSpot.
          .sort((a, b) => a.modifiedAt - b.modifiedAt || (a.id < b.id ? 1 : -1))
          .slice(0, pageSize);
  const seen: string[] = [];
  let cursor: SweepCursor | null = startCursor(since);
  let queries = 0;
  while (cursor) {
    const step = sweepStep(cursor, search(cursor), pageSize);
    seen.push(...step.process);
    cursor = step.next;
    queries++;
    if (queries > 10_000) throw new Error('the sweep does not end');
  }
  return { seen, queries };
}

describe('a whole sweep', () => {
  it('checks every record modified since the start exactly once, whatever the ties', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (const pageSize of [1, 2, 3, 7, 200]) {
      // Many records share timestamps (bulk imports stamp thousands with one time).
      const records = Array.from({ length: 500 }, (_, i) => ({
        id: String(1000 + i),
        modifiedAt: 10_000 + Math.floor(random() * 40) * (random() < 0.5 ? 1 : 3),
      }));
      const since = 10_020;
      const { seen } = sweepAll(records, since, pageSize);
      const expected = records.filter((r) => r.modifiedAt >= since).map((r) => r.id);
      expect(seen).toHaveLength(new Set(seen).size);
      expect(seen.sort()).toEqual(expected.sort());
    }
  });

  it('passes 10,000 records at one timestamp, which one search query could not', () => {
    const records = Array.from({ length: 10_500 }, (_, i) => ({ id: String(i + 1), modifiedAt: 5000 }));
    const { seen, queries } = sweepAll(records, 4000, 200);
    expect(seen).toHaveLength(10_500);
    expect(new Set(seen).size).toBe(10_500);
    // At the start time (none), later (a full page of ties: nothing checked), 53 pages by id, later (none).
    expect(queries).toBe(1 + 1 + Math.ceil(10_500 / 200) + 1);
  });
});

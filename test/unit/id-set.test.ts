import { describe, expect, it } from 'vitest';
import { idLog, idSet } from '../../src/core/id-set.ts';

describe('idSet', () => {
  it('says whether an id is new, for HubSpot ids and for any other string', () => {
    const seen = idSet();
    const ids = [
      '1',
      '1000001',
      '999999999999999',
      '1234567890123456789',
      'abc',
      '',
      '007',
      '7',
      '1e3',
      '1000',
    ];
    expect(ids.map((id) => seen.add(id))).toEqual(ids.map(() => true));
    expect(ids.map((id) => seen.add(id))).toEqual(ids.map(() => false));
  });

  it('keeps every id while it grows, whatever their order', () => {
    const seen = idSet();
    const ids = Array.from({ length: 50_000 }, (_, index) => String(((index * 7919) % 50_000) + 1_000_000));
    expect(ids.filter((id) => seen.add(id))).toHaveLength(50_000);
    expect([...ids, '999999', '1050000'].filter((id) => seen.add(id))).toEqual(['999999', '1050000']);
  });
});

describe('idLog', () => {
  const logged = (ids: readonly (string | Buffer)[]) => {
    const log = idLog();
    for (const id of ids) log.add(id);
    return log.repeated();
  };

  it('finds a repeated id among many, numeric or not', () => {
    const ids = Array.from({ length: 20_000 }, (_, index) => String(5_000_000 + index));
    expect(logged(ids)).toBe(false);
    expect(logged([...ids, '5012345'])).toBe(true);
    expect(logged(['a', 'b', '1234567890123456789', '7', '007'])).toBe(false);
    expect(logged(['a', 'b', 'a'])).toBe(true);
    expect(logged(['5000001', Buffer.from('5000002'), Buffer.from('x')])).toBe(false);
    expect(logged(['5000001', Buffer.from('5000001')])).toBe(true);
    expect(logged(['x', Buffer.from('x')])).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { nextMidnight, zoneOffsetMs } from '../../src/core/time-zone.ts';

describe('nextMidnight', () => {
  it.each([
    ['UTC', '2026-03-10T15:00:00Z', '2026-03-11T00:00:00Z'],
    ['America/New_York', '2026-01-15T12:00:00Z', '2026-01-16T05:00:00Z'],
    ['America/New_York', '2026-01-16T03:00:00Z', '2026-01-16T05:00:00Z'],
    ['Europe/Berlin', '2026-07-01T21:59:00Z', '2026-07-01T22:00:00Z'],
    // DST starts on 2026-03-08 in New York: the night after has a -4 h offset.
    ['America/New_York', '2026-03-08T03:00:00Z', '2026-03-08T05:00:00Z'],
    ['America/New_York', '2026-03-08T12:00:00Z', '2026-03-09T04:00:00Z'],
    ['Asia/Kolkata', '2026-05-01T18:00:00Z', '2026-05-01T18:30:00Z'],
  ])('%s, %s → %s', (zone, now, expected) => {
    expect(new Date(nextMidnight(Date.parse(now), zone)).toISOString()).toBe(
      new Date(expected).toISOString(),
    );
  });

  it('knows offsets', () => {
    expect(zoneOffsetMs(Date.parse('2026-01-15T12:00:00Z'), 'America/New_York')).toBe(-5 * 3600_000);
  });
});

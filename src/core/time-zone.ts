// Building a formatter costs far more than using one, and every HubSpot response asks when the
// daily budget resets: one per zone, kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterIn(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Offset of `timeZone` from UTC at instant `at`, in ms (positive east of Greenwich). */
export function zoneOffsetMs(at: number, timeZone: string): number {
  const parts = formatterIn(timeZone).formatToParts(at);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The next local midnight in `timeZone` after `now` (both epoch ms): when HubSpot resets an
 * account's daily API budget. Handles offsets that change across the night (DST).
 */
export function nextMidnight(now: number, timeZone: string): number {
  const offset = zoneOffsetMs(now, timeZone);
  const local = now + offset;
  const localMidnight = Math.floor(local / 86_400_000) * 86_400_000 + 86_400_000;
  const guess = localMidnight - offset;
  return localMidnight - zoneOffsetMs(guess, timeZone);
}

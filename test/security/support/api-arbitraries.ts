import fc from 'fast-check';

/**
 * Campaign names a portal really can hold (the campaign is free text in HubSpot): markup, quotes,
 * path and query characters, percent signs, non-Latin scripts, names of Object's own properties.
 */
export const ODD_CAMPAIGNS = [
  'webinar',
  'Spring <script>alert(1)</script> "promo"',
  'a/b %zz ?x=1#frag',
  "ünïcødé 🚀 ' OR 1=1;--",
  'constructor',
];

/** Any text at all, text near the separators a URL gives meaning to, and the portal's own names. */
export const anyName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...ODD_CAMPAIGNS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.stringMatching(/^[%./?#&=;:@+$, <>"'\\-]{1,12}$/),
  fc.constantFrom('..', '.', '%', '%%', '%2e%2e', '__proto__', 'x'.repeat(3000), ''),
);

/** How a name is put into a path: escaped as a browser would, sent raw, or escaped twice. */
export const encodings = fc.constantFrom('escaped', 'raw', 'twice');

export function encodeSegment(name: string, how: string): string {
  if (how === 'raw') return name;
  const once = encodeURIComponent(name);
  return how === 'twice' ? encodeURIComponent(once) : once;
}

const dateLike = fc.oneof(
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2200-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom(
    '2026-02-30',
    '2026-13-01',
    '0000-00-00',
    '2026-1-1',
    '2026-01-01T00:00:00Z',
    '9999-12-31',
    '-2026-01-01',
  ),
  fc.string({ maxLength: 30 }),
);

/** A query string of cohort bounds and whatever else a caller might add, escaped or raw, keys repeated. */
export const cohortQuery: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom('from', 'to', 'sort', 'order', 'limit', 'page', 'campaign', 'from[]', '__proto__'),
        fc.string({ maxLength: 8 }),
      ),
      dateLike,
      fc.boolean(),
    ),
    { maxLength: 5 },
  )
  .map((pairs) =>
    pairs.length === 0
      ? ''
      : `?${pairs.map(([key, value, raw]) => (raw ? `${key}=${value}` : `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)).join('&')}`,
  );

const month = fc
  .record({ year: fc.integer({ min: 1990, max: 2100 }), month: fc.integer({ min: 1, max: 12 }) })
  .map(({ year, month }) => `${year}-${String(month).padStart(2, '0')}`);
const amount = fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.double({ min: 0, max: 1e9, noNaN: true }));
const validEntry = fc.oneof(
  fc.record({ month, amount }),
  fc
    .tuple(
      fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
      fc.nat({ max: 400 }),
      amount,
    )
    .map(([start, days, value]) => ({
      from: start.toISOString().slice(0, 10),
      to: new Date(start.getTime() + days * 86_400_000).toISOString().slice(0, 10),
      amount: value,
    })),
);

/** One field of one entry made wrong: a bad date, a negative or non-numeric amount, a missing or extra field. */
const breakEntry = fc.constantFrom<(entry: Record<string, unknown>) => Record<string, unknown>>(
  (entry) => ({ ...entry, amount: -1 }),
  (entry) => ({ ...entry, amount: 'lots' }),
  (entry) => ({ ...entry, amount: 1e13 }),
  (entry) => ({ ...entry, amount: null }),
  (entry) => ('month' in entry ? { ...entry, month: '2026-13' } : { ...entry, from: '2026-02-30' }),
  (entry) =>
    'month' in entry ? { ...entry, month: 202601 } : { ...entry, to: '1999-01-01', from: '2000-01-01' },
  (entry) => ({ ...entry, extra: '<b>x</b>' }),
  ({ amount: _dropped, ...entry }) => entry,
);

/** A spend body: valid, one entry broken, any JSON at all, or bytes that are not JSON. */
export const spendBody: fc.Arbitrary<{ text: string; contentType: string }> = fc.oneof(
  fc
    .array(validEntry, { maxLength: 6 })
    .map((entries) => ({ text: JSON.stringify(entries), contentType: 'application/json' })),
  fc
    .tuple(fc.array(validEntry, { minLength: 1, maxLength: 6 }), breakEntry, fc.nat())
    .map(([entries, broken, at]) => {
      const index = at % entries.length;
      const mangled = entries.map((entry, i) => (i === index ? broken(entry) : entry));
      return { text: JSON.stringify(mangled), contentType: 'application/json' };
    }),
  fc.jsonValue().map((value) => ({ text: JSON.stringify(value), contentType: 'application/json' })),
  fc.string({ maxLength: 200 }).map((text) => ({ text, contentType: 'application/json' })),
  fc
    .tuple(
      fc.array(validEntry, { maxLength: 3 }),
      fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'text/html', ''),
    )
    .map(([entries, contentType]) => ({ text: JSON.stringify(entries), contentType })),
);

/** How close an actual number must be to the expected one, by the figure's name. */
export function toleranceFor(path: string, expected: number): number {
  const leaf = path.split('.').at(-1) ?? path;
  // The API rounds money to the cent (half a cent either way) and won-deal shares to 6 decimals;
  // the relative part absorbs floating-point sums over many deals.
  if (leaf === 'revenue' || leaf === 'revenuePerLead') return 0.005 + 1e-12 * Math.abs(expected) + 1e-12;
  if (leaf === 'wonDeals') return 5e-7 + 1e-9;
  if (['leads', 'opportunities', 'won', 'lost', 'open', 'days'].includes(leaf)) return 0;
  return 1e-9 * Math.max(1, Math.abs(expected));
}

/** Every leaf of a JSON-like object as dotted path → value (null leaves included). */
export function leaves(value: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) {
      for (const [path, leaf] of leaves(inner, prefix ? `${prefix}.${key}` : key)) out.set(path, leaf);
    }
  } else {
    out.set(prefix, value);
  }
  return out;
}

/** The value at a dotted path, undefined where the path does not exist. */
export function at(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Whether an actual value agrees with the expected one at this path. */
export function agrees(path: string, expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') {
    return Math.abs(expected - actual) <= toleranceFor(path, expected);
  }
  return expected === actual;
}

export function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

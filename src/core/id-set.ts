/** Decimal ids of up to 15 digits are exact doubles (below 2^53). */
const MAX_NUMERIC_DIGITS = 15;
const TWO_32 = 4_294_967_296;

/**
 * The id + 1 as a number (0 marks an empty slot), or -1 when it is not a plain decimal id; the id
 * as a string or as the bytes Redis sent.
 */
function numericKey(id: string | Uint8Array): number {
  const text = typeof id === 'string';
  const codeAt = (index: number) => (text ? id.charCodeAt(index) : (id[index] as number));
  if (id.length === 0 || id.length > MAX_NUMERIC_DIGITS || (id.length > 1 && codeAt(0) === 48)) return -1;
  let value = 0;
  for (let index = 0; index < id.length; index++) {
    const digit = codeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value + 1;
}

/** Linear probing from a mixed hash of the key's two 32-bit halves. */
function slotOf(table: Float64Array, key: number): number {
  const mask = table.length - 1;
  let hash = Math.imul((key | 0) ^ Math.imul(Math.floor(key / TWO_32), 0x9e3779b1), 0x85ebca6b);
  hash = (hash ^ (hash >>> 15)) & mask;
  while (table[hash] !== 0 && table[hash] !== key) hash = (hash + 1) & mask;
  return hash;
}

/**
 * A set of record ids for a scan that may return an id twice. HubSpot's ids are decimal numbers:
 * those are kept as doubles in one open-addressing table, so a million ids are 16 MB of typed
 * array and no string is retained; any other id falls back to a Set.
 */
export function idSet() {
  let table = new Float64Array(1 << 12);
  let size = 0;
  const others = new Set<string>();
  return {
    /** Adds the id; false when it was already there. */
    add(id: string): boolean {
      const key = numericKey(id);
      if (key < 0) {
        const before = others.size;
        return others.add(id).size > before;
      }
      const slot = slotOf(table, key);
      if (table[slot] === key) return false;
      table[slot] = key;
      size++;
      if (size * 2 > table.length) {
        const old = table;
        table = new Float64Array(old.length * 2);
        for (const kept of old) if (kept !== 0) table[slotOf(table, kept)] = kept;
      }
      return true;
    },
  };
}

/**
 * The ids a scan saw, checked for repeats only at the end (one numeric sort): appending a number
 * costs far less than a probe of a 16 MB table per id. HSCAN repeats an id only while the hash is
 * resized, so a scan that finds a repeat is rare and is done again with `idSet`.
 */
export function idLog() {
  let keys = new Float64Array(1 << 12);
  let length = 0;
  const others = idSet();
  let otherRepeated = false;
  return {
    add(id: string | Uint8Array): void {
      const key = numericKey(id);
      if (key < 0) {
        if (!others.add(typeof id === 'string' ? id : new TextDecoder().decode(id))) otherRepeated = true;
        return;
      }
      if (length === keys.length) {
        const grown = new Float64Array(length * 2);
        grown.set(keys);
        keys = grown;
      }
      keys[length++] = key;
    },
    /** Whether any id was added twice. */
    repeated(): boolean {
      if (otherRepeated) return true;
      const sorted = keys.slice(0, length).sort();
      for (let index = 1; index < sorted.length; index++)
        if (sorted[index] === sorted[index - 1]) return true;
      return false;
    },
  };
}

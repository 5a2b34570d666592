/** The closeloop_* values shown on a record, as HubSpot stores them (strings). */
export type RecordValues = Readonly<Record<string, string>>;

/**
 * A compact fingerprint of the values (two 32-bit FNV-1a lanes over the key-ordered values): what
 * was last written, without keeping a copy of it.
 */
export function fingerprint(values: RecordValues): string {
  const text = Object.keys(values)
    .sort()
    .map((key) => `${key}=${values[key]}`)
    .join('\u001f');
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
  }
  return (a >>> 0).toString(36) + (b >>> 0).toString(36);
}

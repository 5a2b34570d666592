/**
 * Numbers in stored records: whole numbers (epoch ms above all) in base 36, 8 characters for a
 * date where decimal takes 13; anything else (a fraction, beyond 2^53) as `~` and its decimal
 * form, which reads back exactly.
 */
export function compactNumber(value: number): string {
  return whole(value) ? value.toString(36) : `~${Object.is(value, -0) ? '-0' : value}`;
}

/** -0 is a safe integer that base 36 would write as 0. */
const whole = (value: number) => Number.isSafeInteger(value) && !Object.is(value, -0);

export function readCompactNumber(text: string): number {
  const value = text.startsWith('~')
    ? Number(text.slice(1))
    : /^-?[0-9a-z]+$/.test(text)
      ? Number.parseInt(text, 36)
      : Number.NaN;
  if (Number.isNaN(value)) throw new Error(`a stored number is malformed: "${text}"`);
  return value;
}

export function compactOptional(value: number | null): string {
  return value === null ? '' : compactNumber(value);
}

export function readCompactOptional(text: string): number | null {
  return text === '' ? null : readCompactNumber(text);
}

/**
 * A date after another, as the difference (shorter: days are 6 base-36 digits); when either is
 * not a whole number the difference might round, so `=` and the date itself instead.
 */
export function compactAfter(value: number, base: number): string {
  const difference = value - base;
  return whole(value) && whole(base) && whole(difference)
    ? compactNumber(difference)
    : `=${Object.is(value, -0) ? '-0' : value}`;
}

export function readCompactAfter(text: string, base: number): number {
  if (!text.startsWith('=')) return readCompactNumber(text) + base;
  const value = Number(text.slice(1));
  if (Number.isNaN(value)) throw new Error(`a stored number is malformed: "${text}"`);
  return value;
}

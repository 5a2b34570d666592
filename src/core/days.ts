const DAY = 86_400_000;

/** Days from `from` to `to` (epoch ms), never negative. */
export function daysBetween(from: number, to: number): number {
  return Math.max(0, (to - from) / DAY);
}

const DAY = 86_400_000;

function day(value: string, name: string): number {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(parsed) || !new Date(parsed).toISOString().startsWith(value))
    throw new Error(`--${name} must be a date YYYY-MM-DD`);
  return parsed;
}

/** `--from`/`--to` as a cohort of lead dates [from, to + 1 day), epoch ms. */
export function parseCohortDates(from?: string, to?: string): { from?: number; to?: number } {
  const start = from === undefined ? undefined : day(from, 'from');
  const end = to === undefined ? undefined : day(to, 'to') + DAY;
  if (start !== undefined && end !== undefined && end <= start) throw new Error('--to is before --from');
  return { from: start, to: end };
}

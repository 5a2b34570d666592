import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { SpendPeriod } from './core/spend.ts';
import { BadRequestError } from './errors.ts';

const DAY = 86_400_000;

// Date.parse rolls 2026-02-30 over to March; a real date survives the round trip.
const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((value) => {
    const parsed = Date.parse(`${value}T00:00:00Z`);
    return !Number.isNaN(parsed) && new Date(parsed).toISOString().startsWith(value);
  }, 'is not a real date');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
const amount = z.coerce
  .number({ error: 'must be a number' })
  .refine(Number.isFinite, 'must be a number')
  .min(0, 'must not be negative')
  .max(1e12, 'is implausibly large');
const campaign = z.string().trim().min(1, 'is empty').max(500, 'is too long');

const rangeEntry = z
  .strictObject({ from: isoDay, to: isoDay, amount })
  .refine((entry) => entry.from <= entry.to, { message: 'is before "from"', path: ['to'] });
const monthEntry = z.strictObject({ month, amount });
const rangeRow = z
  .strictObject({ campaign, from: isoDay, to: isoDay, amount })
  .refine((entry) => entry.from <= entry.to, { message: 'is before "from"', path: ['to'] });
const monthRow = z.strictObject({ campaign, month, amount });

/** One spend entry: an inclusive day range, or a calendar month. */
export type SpendEntry = z.infer<typeof rangeEntry> | z.infer<typeof monthEntry>;

// Told apart by their fields rather than a union, so an error names the field that is wrong.
const byShape = <M, R>(value: unknown, monthly: M, ranged: R): M | R =>
  typeof value === 'object' && value !== null && 'month' in value ? monthly : ranged;

/** An entry as a period of whole UTC days [from, to). */
export function toPeriod(entry: SpendEntry): SpendPeriod {
  if ('month' in entry) {
    const [year, monthNumber] = entry.month.split('-').map(Number) as [number, number];
    return {
      from: Date.UTC(year, monthNumber - 1, 1),
      to: Date.UTC(year, monthNumber, 1),
      amount: entry.amount,
    };
  }
  const from = Date.parse(`${entry.from}T00:00:00Z`);
  return { from, to: Date.parse(`${entry.to}T00:00:00Z`) + DAY, amount: entry.amount };
}

function problems(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => `${prefix}${issue.path.join('.') || 'entry'} ${issue.message}`)
    .join('; ');
}

/** Parses a PUT body (an array of entries); throws BadRequestError naming every bad entry. */
export function parseSpendBody(body: unknown): SpendPeriod[] {
  if (!Array.isArray(body))
    throw new BadRequestError('Invalid spend: expected an array of {from, to, amount} or {month, amount}');
  if (body.length > 10_000) throw new BadRequestError('Invalid spend: at most 10,000 entries');
  const errors: string[] = [];
  const periods = body.flatMap((entry, index) => {
    const parsed = byShape(entry, monthEntry, rangeEntry).safeParse(entry);
    if (parsed.success) return [toPeriod(parsed.data)];
    errors.push(problems(parsed.error, `${index}.`));
    return [];
  });
  if (errors.length > 0) throw new BadRequestError(`Invalid spend: ${errors.join('; ')}`);
  return periods;
}

function readCsv(text: string): Record<string, string>[] {
  try {
    return parse(text, {
      columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (error) {
    throw new BadRequestError(`Not a readable CSV file: ${(error as Error).message}`);
  }
}

/**
 * Parses a spend CSV (header `campaign,from,to,amount` or `campaign,month,amount`) into periods
 * per campaign. All or nothing: any bad row throws, naming its line and what is wrong.
 */
export function parseSpendCsv(text: string): Map<string, SpendPeriod[]> {
  const records = readCsv(text);
  if (records.length === 0) throw new BadRequestError('The file has no spend rows');
  const errors: string[] = [];
  const byCampaign = new Map<string, SpendPeriod[]>();
  records.forEach((record, index) => {
    const parsed = byShape(record, monthRow, rangeRow).safeParse(record);
    if (!parsed.success) {
      errors.push(`line ${index + 2}: ${problems(parsed.error)}`);
      return;
    }
    const { campaign: name, ...entry } = parsed.data;
    byCampaign.set(name, [...(byCampaign.get(name) ?? []), toPeriod(entry)]);
  });
  if (errors.length > 0)
    throw new BadRequestError(`Nothing imported; fix these rows:\n${errors.slice(0, 50).join('\n')}`);
  return byCampaign;
}

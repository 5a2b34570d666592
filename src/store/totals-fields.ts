import type { CampaignTotals } from '../core/campaign-figures.ts';
import { fromDenominatorSums } from '../core/lead-figures.ts';
import { nameTable } from './name-codes.ts';

/** One campaign's totals from its fields: counts, and whole cents and deals per share denominator. */
function campaignTotals(campaign: string, values: ReadonlyMap<string, number>): CampaignTotals {
  const shares = new Map<number, { cents: number; deals: number }>();
  for (const [name, value] of values) {
    const kind = name.slice(0, 2);
    if (kind !== 'r/' && kind !== 'w/') continue;
    const of = Number(name.slice(2));
    const sum = shares.get(of) ?? { cents: 0, deals: 0 };
    shares.set(of, kind === 'r/' ? { ...sum, cents: value } : { ...sum, deals: value });
  }
  const get = (name: string) => values.get(name) ?? 0;
  return {
    campaign,
    leads: get('leads'),
    opportunities: get('opportunities'),
    won: get('won'),
    lost: get('lost'),
    open: get('open'),
    ...fromDenominatorSums(shares),
    stageSkips: get('stageSkips'),
  };
}

/**
 * Every campaign's totals from the totals hash, whose fields are `code \u001f name` (scripts.ts),
 * and the dictionary's names by code.
 */
export function totalsOfFields(
  fields: Readonly<Record<string, string>>,
  names: Readonly<Record<string, string>>,
): CampaignTotals[] {
  const byCode = new Map<string, Map<string, number>>();
  for (const [field, value] of Object.entries(fields)) {
    const cut = field.indexOf('\u001f');
    const code = field.slice(0, cut);
    const entry = byCode.get(code) ?? new Map<string, number>();
    entry.set(field.slice(cut + 1), Number(value));
    byCode.set(code, entry);
  }
  const table = nameTable(new Map(Object.entries(names)));
  return [...byCode].map(([code, values]) => campaignTotals(table.nameOf(code), values));
}

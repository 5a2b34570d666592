import type { CampaignTotals } from '../core/campaign-figures.ts';
import { fromDenominatorSums } from '../core/lead-figures.ts';
import { nameTable } from './name-codes.ts';

interface Sums {
  readonly counts: Map<string, number>;
  /** Per share denominator: whole cents and whole deals. */
  readonly shares: Map<number, { cents: number; deals: number }>;
}

function campaignTotals(campaign: string, { counts, shares }: Sums): CampaignTotals {
  const get = (name: string) => counts.get(name) ?? 0;
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
 * Every campaign's totals from the totals hash as the read script returns it (fields and values
 * joined by newlines; each field `code \u001f name`, see scripts.ts) and the dictionary's names by
 * code. One pass: the API reads this on every request.
 */
export function totalsOfFields(flat: string, names: Readonly<Record<string, string>>): CampaignTotals[] {
  const byCode = new Map<string, Sums>();
  const parts = flat === '' ? [] : flat.split('\n');
  for (let index = 0; index + 1 < parts.length; index += 2) {
    const field = parts[index] as string;
    const value = Number(parts[index + 1]);
    const cut = field.indexOf('\u001f');
    const code = field.slice(0, cut);
    let sums = byCode.get(code);
    if (!sums) {
      sums = { counts: new Map(), shares: new Map() };
      byCode.set(code, sums);
    }
    if (field[cut + 2] === '/') {
      const of = Number(field.slice(cut + 3));
      const share = sums.shares.get(of) ?? { cents: 0, deals: 0 };
      if (field[cut + 1] === 'r') share.cents = value;
      else share.deals = value;
      sums.shares.set(of, share);
    } else sums.counts.set(field.slice(cut + 1), value);
  }
  const table = nameTable(new Map(Object.entries(names)));
  return [...byCode].map(([code, sums]) => campaignTotals(table.nameOf(code), sums));
}

import { agrees, at, leaves, show } from './compare-values.ts';
import type { ExpectedCampaign } from './oracle-expectations.ts';

export interface Comparison {
  readonly mismatches: string[];
  readonly fields: number;
}

/**
 * Every figure the oracle knows against closeloop's `GET /api/campaigns` row of the same campaign,
 * and that the two sides list the same campaigns. A lag-aware rate the oracle did not compute
 * (null: some lead is younger than H) is left out.
 */
export function compareCampaigns(
  expected: ReadonlyMap<string, ExpectedCampaign>,
  actualRows: readonly Readonly<Record<string, unknown>>[],
): Comparison {
  const mismatches: string[] = [];
  let fields = 0;
  const actual = new Map<string, Readonly<Record<string, unknown>>>();
  for (const row of actualRows) {
    const key = String(row.campaign);
    if (actual.has(key)) mismatches.push(`campaign ${show(key)}: listed twice by the API`);
    actual.set(key, row);
  }
  for (const [campaign, { figures }] of expected) {
    const row = actual.get(campaign);
    if (!row) {
      mismatches.push(`campaign ${show(campaign)}: missing from the API (expected ${figures.leads} leads)`);
      continue;
    }
    for (const [path, value] of leaves(figures)) {
      if (path === 'closeRateAtHorizon' && value === null) continue;
      fields++;
      const found = at(row, path);
      if (!agrees(path, value, found))
        mismatches.push(`campaign ${show(campaign)}: ${path} expected ${show(value)}, actual ${show(found)}`);
    }
  }
  for (const [campaign, row] of actual) {
    if (!expected.has(campaign))
      mismatches.push(
        `campaign ${show(campaign)}: listed by the API (${show(row.leads)} leads) but has no leads`,
      );
  }
  return { mismatches, fields };
}

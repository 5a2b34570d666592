import type { Comparison } from './compare-campaigns.ts';
import { show } from './compare-values.ts';
import type { CrmRecord } from './crm-reader.ts';
import type { ExpectedValues } from './oracle-expectations.ts';

/**
 * What HubSpot shows on each record against what it should show. An unset property and an empty
 * string are the same to HubSpot (a write of "" clears the value).
 */
export function compareRecords(
  kind: 'contact' | 'deal',
  records: readonly CrmRecord[],
  expected: ReadonlyMap<string, ExpectedValues>,
): Comparison {
  const mismatches: string[] = [];
  let fields = 0;
  for (const record of records) {
    const values = expected.get(record.id);
    if (!values) {
      mismatches.push(`${kind} ${record.id}: the oracle computed nothing for it`);
      continue;
    }
    for (const [property, accepted] of Object.entries(values)) {
      fields++;
      const actual = record.properties[property] ?? '';
      if (accepted.includes(actual)) continue;
      const wanted =
        accepted.length === 1 ? show(accepted[0]) : accepted.map((value) => show(value)).join(' or ');
      mismatches.push(`${kind} ${record.id}: ${property} expected ${wanted}, actual ${show(actual)}`);
    }
  }
  return { mismatches, fields };
}

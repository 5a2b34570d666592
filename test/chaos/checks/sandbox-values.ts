import { z } from 'zod';
import type { SandboxClient } from '../harness/sandbox-client.ts';

const CONTACT = [
  'closeloop_campaign',
  'closeloop_lead_score',
  'closeloop_lead_grade',
  'closeloop_campaign_close_rate',
  'closeloop_score_reason',
];
const DEAL = ['closeloop_campaign', 'closeloop_campaign_close_rate', 'closeloop_alignment_index'];

const pageSchema = z.object({
  results: z.array(z.object({ id: z.string(), properties: z.record(z.string(), z.string().nullable()) })),
  paging: z.object({ next: z.object({ after: z.string() }) }).optional(),
});

/**
 * Every live record's `closeloop_*` values as HubSpot shows them, one canonical string per record
 * keyed `contacts/<id>` or `deals/<id>`. `closeloop_scored_at` is left out: it says when values
 * were written, so a clean rebuild writes it anew.
 */
export async function closeloopValues(client: SandboxClient): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const [type, names] of [
    ['contacts', CONTACT],
    ['deals', DEAL],
  ] as const) {
    let after: string | undefined = '0';
    while (after !== undefined) {
      const query = `limit=100&after=${after}&properties=${names.join(',')}`;
      const page = pageSchema.parse(await client.api('GET', `/crm/v3/objects/${type}?${query}`));
      for (const record of page.results) {
        const shown = names.map((name) => [name, record.properties[name] ?? null]);
        values.set(`${type}/${record.id}`, JSON.stringify(Object.fromEntries(shown)));
      }
      after = page.paging?.next.after;
    }
  }
  return values;
}

/** Records whose values differ between two reads (or that only one of them has). */
export function differingValues(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((key) => a.get(key) !== b.get(key)).sort();
}

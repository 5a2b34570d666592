import { z } from 'zod';
import type { Portal } from './crm-reader.ts';
import { getParsed } from './http-json.ts';

export interface Association {
  readonly contactId: string;
  readonly dealId: string;
}

const batchAnswerSchema = z.object({
  results: z.array(
    z.looseObject({
      from: z.looseObject({ id: z.string() }),
      to: z.array(z.looseObject({ toObjectId: z.union([z.string(), z.number()]).transform(String) })),
      paging: z.looseObject({ next: z.looseObject({ after: z.string() }).optional() }).optional(),
    }),
  ),
  errors: z
    .array(
      z.looseObject({
        category: z.string(),
        subCategory: z.string().optional(),
        context: z.record(z.string(), z.array(z.string())).optional(),
      }),
    )
    .optional(),
});

/** HubSpot's batch reads take up to 1,000 ids. */
const BATCH = 1_000;
const MAX_ROUNDS = 20;

interface Pending {
  readonly id: string;
  readonly after?: string;
}

/** Ids HubSpot says have no associations: a 207 error, not an empty result. */
function withoutAssociations(errors: z.output<typeof batchAnswerSchema>['errors']): Set<string> {
  const none = new Set<string>();
  for (const error of errors ?? []) {
    if (error.subCategory !== 'crm.associations.NO_ASSOCIATIONS_FOUND') continue;
    for (const id of error.context?.fromObjectId ?? []) none.add(id);
  }
  return none;
}

/** One round over the pending inputs: what it found, and what must be asked again (next pages, failures). */
async function readRound(
  portal: Portal,
  pending: readonly Pending[],
  found: Association[],
): Promise<Pending[]> {
  const again: Pending[] = [];
  for (let start = 0; start < pending.length; start += BATCH) {
    const inputs = pending.slice(start, start + BATCH);
    const answer = await getParsed(batchAnswerSchema, {
      method: 'POST',
      url: `${portal.url}/crm/v4/associations/contacts/deals/batch/read`,
      token: portal.token,
      body: { inputs },
    });
    const answered = withoutAssociations(answer.errors);
    for (const result of answer.results) {
      answered.add(result.from.id);
      for (const to of result.to) found.push({ contactId: result.from.id, dealId: to.toObjectId });
      const after = result.paging?.next?.after;
      if (after) again.push({ id: result.from.id, after });
    }
    // Anything neither answered nor "no associations" failed in a partial (207) answer: retry it.
    for (const input of inputs) if (!answered.has(input.id)) again.push(input);
  }
  return again;
}

/** Every contact → deal association of the given contacts (v4 batch read, each input paged on its own). */
export async function readAssociations(
  portal: Portal,
  contactIds: readonly string[],
): Promise<Association[]> {
  const found: Association[] = [];
  let pending: Pending[] = contactIds.map((id) => ({ id }));
  for (let round = 0; pending.length > 0; round++) {
    if (round >= MAX_ROUNDS) throw new Error(`Associations of ${pending.length} contacts could not be read`);
    pending = await readRound(portal, pending, found);
  }
  const unique = new Map(found.map((link) => [`${link.contactId}:${link.dealId}`, link]));
  return [...unique.values()];
}

import { TransientError } from '../errors.ts';
import { mapInLanes } from './call-pool.ts';
import type { HubSpotHttp } from './http.ts';
import type { Priority } from './rate-budget.ts';
import { retryRead } from './read-retries.ts';
import {
  associationBatchSchema,
  type BatchError,
  batchObjectsSchema,
  type CrmObject,
  objectPageSchema,
  parseResponse,
  searchPageSchema,
} from './schemas.ts';

/** Every CRM object path closeloop calls, in one place (the date-versioned paths replace these in 2027). */
export type ObjectType = 'contacts' | 'deals';
export const BATCH_LIMIT = 100;
const ASSOCIATION_BATCH_LIMIT = 1000;
const SEARCH_PAGE = 200;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

function idsIn(error: BatchError): string[] {
  return Object.values(error.context ?? {}).flat();
}

export interface ReadResult {
  readonly objects: readonly CrmObject[];
  /** Requested ids HubSpot no longer has (deleted, or merged into another id). */
  readonly missing: readonly string[];
}

/**
 * Batch-reads objects, 100 per call, `concurrency` calls at a time. A record missing from the
 * results is gone; any other batch error makes the read fail as transient, so the job retries it
 * whole (reads are idempotent).
 */
export async function readObjects(
  http: HubSpotHttp,
  type: ObjectType,
  ids: readonly string[],
  properties: readonly string[],
  priority: Priority,
  concurrency = 1,
): Promise<ReadResult> {
  const batches = await mapInLanes(chunk([...new Set(ids)], BATCH_LIMIT), concurrency, (inputs) =>
    retryRead(async () => {
      const response = await http({
        method: 'POST',
        path: `/crm/v3/objects/${type}/batch/read`,
        body: { properties, inputs: inputs.map((id) => ({ id })) },
        priority,
      });
      const batch = parseResponse(batchObjectsSchema, response.body, `${type} batch read`);
      const unexpected = (batch.errors ?? []).filter((error) => error.category !== 'OBJECT_NOT_FOUND');
      if (unexpected.length > 0) {
        throw new TransientError(
          `${type} batch read partly failed: ${unexpected.map((e) => e.category).join(', ')}`,
        );
      }
      return batch.results;
    }),
  );
  const objects = batches.flat();
  const found = new Set(objects.map((object) => object.id));
  return { objects, missing: [...new Set(ids)].filter((id) => !found.has(id)) };
}

type AssociationInput = { id: string; after: string | undefined };

/** One association batch read, tried again when HubSpot fails it transiently. */
function readAssociationBatch(
  http: HubSpotHttp,
  from: ObjectType,
  to: ObjectType,
  inputs: readonly AssociationInput[],
  priority: Priority,
) {
  return retryRead(async () => {
    const response = await http({
      method: 'POST',
      path: `/crm/v4/associations/${from}/${to}/batch/read`,
      body: {
        inputs: inputs.map((input) =>
          input.after ? { id: input.id, after: input.after } : { id: input.id },
        ),
      },
      priority,
    });
    const batch = parseResponse(associationBatchSchema, response.body, `${from}→${to} association read`);
    // OBJECT_NOT_FOUND is how HubSpot lists an id without associations; any other error would
    // otherwise read as "no associations" and drop links, so retry the read whole.
    const unexpected = (batch.errors ?? []).filter((error) => error.category !== 'OBJECT_NOT_FOUND');
    if (unexpected.length > 0) {
      throw new TransientError(
        `${from}→${to} association read partly failed: ${unexpected.map((e) => e.category).join(', ')}`,
      );
    }
    return batch.results;
  });
}

/** Associated ids per input id, following each input's own `after`; `concurrency` calls at a time. */
export async function readAssociations(
  http: HubSpotHttp,
  from: ObjectType,
  to: ObjectType,
  ids: readonly string[],
  priority: Priority,
  concurrency = 1,
): Promise<Map<string, string[]>> {
  const associated = new Map<string, string[]>(ids.map((id) => [id, []]));
  let pending: AssociationInput[] = [...new Set(ids)].map((id) => ({ id, after: undefined }));
  while (pending.length > 0) {
    const next: AssociationInput[] = [];
    await mapInLanes(chunk(pending, ASSOCIATION_BATCH_LIMIT), concurrency, async (inputs) => {
      for (const result of await readAssociationBatch(http, from, to, inputs, priority)) {
        associated.get(result.from.id)?.push(...result.to.map((target) => target.toObjectId));
        const after = result.paging?.next?.after;
        if (after) next.push({ id: result.from.id, after });
      }
    });
    pending = next;
  }
  return associated;
}

export interface UpdateInput {
  readonly id: string;
  readonly properties: Readonly<Record<string, string>>;
}

export interface UpdateResult {
  readonly updated: readonly string[];
  /** Records that no longer exist: give up on them. */
  readonly gone: readonly string[];
  /** Inputs that failed for another reason (207): retry just these. */
  readonly retry: readonly UpdateInput[];
  /**
   * Inputs merged into another record: HubSpot resolved their ids and answered with the
   * survivor's. Not retried (it would land on the survivor again): the record must be re-read.
   */
  readonly moved: readonly string[];
  /** The survivors that answered for moved inputs: they now show those inputs' values. */
  readonly overwritten: readonly string[];
}

/** One batch update (≤ 100 inputs). HubSpot answers 207 when some inputs failed. */
export async function updateBatch(
  http: HubSpotHttp,
  type: ObjectType,
  inputs: readonly UpdateInput[],
  priority: Priority,
): Promise<UpdateResult> {
  const response = await http({
    method: 'POST',
    path: `/crm/v3/objects/${type}/batch/update`,
    body: { inputs },
    priority,
  });
  const batch = parseResponse(batchObjectsSchema, response.body, `${type} batch update`);
  const gone = new Set<string>();
  const failed = new Set<string>();
  for (const error of batch.errors ?? []) {
    for (const id of idsIn(error)) (error.category === 'OBJECT_NOT_FOUND' ? gone : failed).add(id);
  }
  const requested = new Set(inputs.map((input) => input.id));
  const answers = new Map<string, number>();
  for (const object of batch.results) answers.set(object.id, (answers.get(object.id) ?? 0) + 1);
  const updated = [...answers.keys()].filter((id) => requested.has(id));
  // A survivor also asked for in the same batch answers twice: once for itself, once for the merged id.
  const survivors = batch.results.length - updated.length;
  const accounted = new Set([...updated, ...gone, ...failed]);
  const unaccounted = inputs.filter((input) => !accounted.has(input.id)).map((input) => input.id);
  // As many unanswered inputs as answers under ids nobody asked for: merged records, answered by
  // their survivors. Anything else unanswered did not land and is retried.
  const moved = survivors >= unaccounted.length ? unaccounted : [];
  const retry = inputs.filter(
    (input) => failed.has(input.id) || (!accounted.has(input.id) && !moved.includes(input.id)),
  );
  const overwritten =
    moved.length > 0 ? [...answers].filter(([id, n]) => !requested.has(id) || n > 1).map(([id]) => id) : [];
  return { updated, gone: [...gone], retry, moved, overwritten };
}

export interface ObjectPage {
  readonly objects: readonly CrmObject[];
  readonly after: string | undefined;
}

/** One page of every object (list paging has no 10,000 cap, unlike search). */
export async function listObjects(
  http: HubSpotHttp,
  type: ObjectType,
  properties: readonly string[],
  after: string | undefined,
  priority: Priority,
): Promise<ObjectPage> {
  const qs: Record<string, string> = { limit: '100', properties: properties.join(',') };
  if (after) qs.after = after;
  const response = await http({ method: 'GET', path: `/crm/v3/objects/${type}`, qs, priority });
  const page = parseResponse(objectPageSchema, response.body, `${type} list`);
  return { objects: page.results, after: page.paging?.next?.after };
}

export interface SearchFilter {
  readonly propertyName: string;
  readonly operator: 'EQ' | 'NEQ' | 'GT' | 'GTE' | 'LT' | 'LTE' | 'HAS_PROPERTY' | 'NOT_HAS_PROPERTY' | 'IN';
  readonly value?: string;
  readonly values?: readonly string[];
}

/** One search page (≤ 200). Callers page large sets by keyset, not `after`, because of the 10,000 cap. */
export async function searchObjects(
  http: HubSpotHttp,
  type: ObjectType,
  query: {
    filters: readonly SearchFilter[];
    sorts: readonly { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }[];
    properties: readonly string[];
  },
  priority: Priority,
): Promise<{ total: number; objects: readonly CrmObject[] }> {
  const body = {
    filterGroups: [{ filters: query.filters }],
    sorts: query.sorts,
    properties: query.properties,
    limit: SEARCH_PAGE,
  };
  const response = await http({
    method: 'POST',
    path: `/crm/v3/objects/${type}/search`,
    body,
    priority,
    search: true,
  });
  const page = parseResponse(searchPageSchema, response.body, `${type} search`);
  return { total: page.total, objects: page.results };
}

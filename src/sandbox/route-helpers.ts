import { errorBody, HubSpotError, notFound, validationError } from './hubspot-errors.ts';
import type { ObjectTypeInfo } from './object-types.ts';
import type { StoredRecord } from './record-store.ts';
import { readText } from './record-view.ts';
import type { SandboxContext } from './sandbox-context.ts';

export function parseNumericId(raw: string): number | undefined {
  return /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
}

/** Comma-separated or repeated query parameters, as the SDK sends arrays. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const values = query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return values.length > 0 ? values : undefined;
}

export function boolParam(query: URLSearchParams, name: string): boolean {
  return query.get(name) === 'true';
}

export function intParam(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw validationError(`${name} must be a positive integer, got ${raw}`);
  return Math.min(value, max);
}

/** Looks a record up by id (following merges) or by a unique property such as email. */
export function lookupRecord(
  ctx: SandboxContext,
  type: ObjectTypeInfo,
  raw: string,
  idProperty?: string,
): StoredRecord | undefined {
  const store = ctx.crm.store(type);
  if (idProperty && idProperty === store.uniqueProperty) {
    const owner = store.ownerOf(raw);
    return owner === undefined ? undefined : store.resolve(owner);
  }
  if (idProperty && idProperty !== 'hs_object_id') {
    if (!store.registry.get(idProperty)) throw validationError(`Property ${idProperty} does not exist`);
    for (const record of store.records()) if (readText(store, record, idProperty) === raw) return record;
    return undefined;
  }
  const id = parseNumericId(raw);
  return id === undefined ? undefined : store.resolve(id);
}

/** A live (or, with `archived`, an archived) record, else HubSpot's 404. */
export function requireRecord(
  ctx: SandboxContext,
  type: ObjectTypeInfo,
  raw: string,
  archived = false,
  idProperty?: string,
): StoredRecord {
  if (!idProperty && parseNumericId(raw) === undefined) {
    throw new HubSpotError(
      404,
      errorBody('OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', {
        context: { id: [raw] },
      }),
    );
  }
  const record = lookupRecord(ctx, type, raw, idProperty);
  if (!record || (record.archivedAt !== undefined) !== archived) throw notFound();
  return record;
}

export const MAX_BATCH_INPUTS = 100;

export function checkBatchSize(count: number, max = MAX_BATCH_INPUTS): void {
  if (count > max)
    throw validationError(`Batch input limit exceeded: ${count} inputs were given; the limit is ${max}.`);
}

export function batchTimes(
  ctx: SandboxContext,
  startedAt: number,
): { startedAt: string; completedAt: string } {
  return {
    startedAt: new Date(startedAt).toISOString(),
    completedAt: new Date(ctx.clock.now()).toISOString(),
  };
}

/** Indices of inputs an injected 207 fails: a random, non-empty part of the batch. */
export function faultedIndices(ctx: SandboxContext, count: number): Set<number> {
  const failed = new Set<number>();
  for (let i = 0; i < count; i++) if (ctx.random.chance(0.5)) failed.add(i);
  if (failed.size === 0 && count > 0) failed.add(Math.floor(ctx.random.next() * count));
  return failed;
}

/** HubSpot's per-input error entry in a 207 (status, category, message, context: nothing more). */
export function batchError(
  category: string,
  message: string,
  context: Record<string, string[]>,
  subCategory?: string,
) {
  return { status: 'error', category, ...(subCategory ? { subCategory } : {}), message, context };
}

export function injectedFailure(ids: string[]) {
  return batchError(
    'CONFLICT',
    'The write could not be completed for these inputs; retry them.',
    ids.length > 0 ? { ids } : {},
  );
}

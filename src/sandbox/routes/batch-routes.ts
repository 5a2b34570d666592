import { validationError } from '../hubspot-errors.ts';
import { objectType } from '../object-types.ts';
import { archiveRecord } from '../record-removal.ts';
import type { StoredRecord } from '../record-store.ts';
import { recordToJson, selectProperties } from '../record-view.ts';
import { API_WRITE, type PreparedWrite, prepareUpdate } from '../record-writes.ts';
import {
  batchArchiveSchema,
  batchCreateSchema,
  batchReadSchema,
  batchUpdateSchema,
  parseBody,
} from '../request-schemas.ts';
import {
  batchError,
  batchTimes,
  boolParam,
  checkBatchSize,
  faultedIndices,
  injectedFailure,
  lookupRecord,
} from '../route-helpers.ts';
import type { ApiRequest, Route, SandboxContext } from '../sandbox-context.ts';
import { objectRead, objectWrite } from '../scopes.ts';
import { checkUniqueWithin } from '../unique-values.ts';
import { countedUpdate } from '../write-stats.ts';
import { prepareCreateWithAssociations } from './object-routes.ts';

type BatchError = ReturnType<typeof batchError>;

/** 200/201 when every input worked, else HubSpot's 207 with `numErrors` and `errors`. */
export function batchResponse(
  ctx: SandboxContext,
  startedAt: number,
  okStatus: number,
  results: unknown[],
  errors: BatchError[],
) {
  const body = { status: 'COMPLETE', results, ...batchTimes(ctx, startedAt) };
  if (errors.length === 0) return { status: okStatus, body };
  return { status: 207, body: { ...body, numErrors: errors.length, errors } };
}

function read(ctx: SandboxContext, req: ApiRequest) {
  const startedAt = ctx.clock.now();
  const type = objectType(req.params.objectType ?? '');
  const input = parseBody(batchReadSchema, req.body);
  checkBatchSize(input.inputs.length);
  const store = ctx.crm.store(type);
  const archived = boolParam(req.query, 'archived');
  const failed = req.fault207 ? faultedIndices(ctx, input.inputs.length) : new Set<number>();
  const found = new Map<number, StoredRecord>();
  const missing: string[] = [];
  input.inputs.forEach(({ id }, i) => {
    const record = failed.has(i) ? undefined : lookupRecord(ctx, type, id, input.idProperty);
    if (record && (record.archivedAt !== undefined) === archived) found.set(record.id, record);
    else if (!failed.has(i)) missing.push(id);
  });
  const names = selectProperties(store, input.properties);
  const results = [...found.values()].map((r) => recordToJson(store, r, names));
  const errors: BatchError[] = [];
  if (missing.length > 0) {
    const message = `Could not get some ${type.upper} objects, they may be deleted or not exist. Check that ids are valid.`;
    errors.push(batchError('OBJECT_NOT_FOUND', message, { ids: missing }));
  }
  if (failed.size > 0) errors.push(injectedFailure([...failed].map((i) => input.inputs[i]?.id ?? '')));
  return batchResponse(ctx, startedAt, 200, results, errors);
}

/** A validated batch input: applying it cannot fail. */
type BatchWrite = { write: PreparedWrite; properties: string[]; id: string };

/**
 * Applies a batch whose inputs all passed validation (one bad input refused the whole batch, as
 * HubSpot does); an injected 207 skips a random part and reports it, applying none of it.
 */
function applyAll(
  ctx: SandboxContext,
  req: ApiRequest,
  writes: BatchWrite[],
  okStatus: number,
  errors: BatchError[],
) {
  const startedAt = ctx.clock.now();
  const store = ctx.crm.store(objectType(req.params.objectType ?? ''));
  const failed = req.fault207 ? faultedIndices(ctx, writes.length) : new Set<number>();
  const results = writes.flatMap((w, i) =>
    failed.has(i) ? [] : [recordToJson(store, w.write(), selectProperties(store, w.properties))],
  );
  if (failed.size > 0) {
    errors.push(injectedFailure([...failed].map((i) => writes[i]?.id ?? '').filter((id) => id !== '')));
  }
  return batchResponse(ctx, startedAt, okStatus, results, errors);
}

function create(ctx: SandboxContext, req: ApiRequest) {
  const type = objectType(req.params.objectType ?? '');
  const input = parseBody(batchCreateSchema, req.body);
  checkBatchSize(input.inputs.length);
  checkUniqueWithin(
    ctx.crm.store(type),
    input.inputs.map((i) => i.properties),
  );
  const writes = input.inputs.map((i) => ({
    write: prepareCreateWithAssociations(ctx, type, i),
    properties: Object.keys(i.properties),
    id: i.objectWriteTraceId ?? '',
  }));
  return applyAll(ctx, req, writes, 201, []);
}

function update(ctx: SandboxContext, req: ApiRequest) {
  const type = objectType(req.params.objectType ?? '');
  const input = parseBody(batchUpdateSchema, req.body);
  checkBatchSize(input.inputs.length);
  const ids = input.inputs.map((i) => i.id);
  const duplicates = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  if (duplicates.length > 0) {
    throw validationError(
      `Duplicate IDs found in batch input: [${duplicates.join(', ')}]. IDs must be unique`,
    );
  }
  const missing: string[] = [];
  const writes = input.inputs.flatMap((i) => {
    const record = lookupRecord(ctx, type, i.id, i.idProperty);
    if (!record || record.archivedAt !== undefined) {
      missing.push(i.id);
      return [];
    }
    const properties = Object.keys(i.properties);
    const prepared = prepareUpdate(ctx.crm, type, record, i.properties, API_WRITE);
    const write = countedUpdate(ctx.stats.writes, ctx.crm.store(type), record, i.properties, prepared);
    return [{ write, properties, id: i.id }];
  });
  const message = `Could not get some ${type.upper} objects, they may be deleted or not exist. Check that ids are valid.`;
  const errors = missing.length > 0 ? [batchError('OBJECT_NOT_FOUND', message, { ids: missing })] : [];
  return applyAll(ctx, req, writes, 200, errors);
}

function archive(ctx: SandboxContext, req: ApiRequest) {
  const type = objectType(req.params.objectType ?? '');
  const input = parseBody(batchArchiveSchema, req.body);
  checkBatchSize(input.inputs.length);
  for (const { id } of input.inputs) {
    const record = lookupRecord(ctx, type, id);
    if (record) archiveRecord(ctx.crm, type, record, 'API');
  }
  return { status: 204 };
}

const BASE = '/crm/v3/objects/:objectType/batch';

export const batchRoutes: Route[] = [
  { method: 'POST', path: `${BASE}/read`, kind: 'api', scopes: objectRead(), partial: true, handler: read },
  {
    method: 'POST',
    path: `${BASE}/create`,
    kind: 'api',
    scopes: objectWrite(),
    partial: true,
    handler: create,
  },
  {
    method: 'POST',
    path: `${BASE}/update`,
    kind: 'api',
    scopes: objectWrite(),
    partial: true,
    handler: update,
  },
  { method: 'POST', path: `${BASE}/archive`, kind: 'api', scopes: objectWrite(), handler: archive },
];

import { associate, associationLookup, checkSpecs } from '../association-writes.ts';
import { notFound, validationError } from '../hubspot-errors.ts';
import { mergeRecords } from '../merge-records.ts';
import { CONTACTS, type ObjectTypeInfo, objectType, otherType } from '../object-types.ts';
import { archiveRecord, purgeRecord } from '../record-removal.ts';
import type { StoredRecord } from '../record-store.ts';
import { recordToJson, selectProperties } from '../record-view.ts';
import { API_WRITE, type PreparedWrite, prepareCreate, prepareUpdate } from '../record-writes.ts';
import {
  type CreateInput,
  createInputSchema,
  gdprDeleteSchema,
  mergeSchema,
  parseBody,
  updateInputSchema,
} from '../request-schemas.ts';
import {
  boolParam,
  intParam,
  listParam,
  lookupRecord,
  parseNumericId,
  requireRecord,
} from '../route-helpers.ts';
import type { ApiRequest, Route, SandboxContext } from '../sandbox-context.ts';
import { objectRead, objectWrite } from '../scopes.ts';

const BASE = '/crm/v3/objects/:objectType';

export function renderRecord(
  ctx: SandboxContext,
  req: ApiRequest,
  record: StoredRecord,
  properties?: string[],
) {
  const type = objectType(req.params.objectType ?? '');
  const store = ctx.crm.store(type);
  const names = listParam(req.query, 'associations');
  const associations = names ? { names, lookup: associationLookup(ctx.crm, type) } : undefined;
  return recordToJson(
    store,
    record,
    selectProperties(store, properties ?? listParam(req.query, 'properties')),
    associations,
  );
}

function list(ctx: SandboxContext, req: ApiRequest) {
  const type = objectType(req.params.objectType ?? '');
  const limit = intParam(req.query, 'limit', 10, 100);
  const after = parseNumericId(req.query.get('after') ?? '0') ?? 0;
  const page = ctx.crm.store(type).page(after, limit, boolParam(req.query, 'archived'));
  const results = page.records.map((r) => renderRecord(ctx, req, r));
  const next = page.next === undefined ? undefined : String(page.next);
  return {
    status: 200,
    body: { results, ...(next ? { paging: { next: { after: next, link: `?after=${next}` } } } : {}) },
  };
}

/** A create that also links the new record to existing ones (validated before anything is written). */
export function prepareCreateWithAssociations(
  ctx: SandboxContext,
  type: ObjectTypeInfo,
  input: CreateInput,
): PreparedWrite {
  const to = otherType(type);
  const targets = input.associations.map((a) => {
    checkSpecs(type, to, a.types);
    const target = lookupRecord(ctx, to, a.to.id);
    if (!target || target.archivedAt !== undefined)
      throw validationError(`No ${to.singular} with id ${a.to.id} exists.`);
    return target.id;
  });
  const write = prepareCreate(ctx.crm, type, input.properties, API_WRITE);
  return () => {
    const record = write();
    for (const target of targets) associate(ctx.crm, type, record.id, target, 'API');
    return record;
  };
}

function create(ctx: SandboxContext, req: ApiRequest) {
  const type = objectType(req.params.objectType ?? '');
  const input = parseBody(createInputSchema, req.body);
  const record = prepareCreateWithAssociations(ctx, type, input)();
  return { status: 201, body: renderRecord(ctx, req, record, Object.keys(input.properties)) };
}

function read(ctx: SandboxContext, req: ApiRequest) {
  const type = objectType(req.params.objectType ?? '');
  const idProperty = req.query.get('idProperty') ?? undefined;
  const record = requireRecord(
    ctx,
    type,
    req.params.objectId ?? '',
    boolParam(req.query, 'archived'),
    idProperty,
  );
  return { status: 200, body: renderRecord(ctx, req, record) };
}

function update(ctx: SandboxContext, req: ApiRequest) {
  const type = objectType(req.params.objectType ?? '');
  const input = parseBody(updateInputSchema, req.body);
  const idProperty = req.query.get('idProperty') ?? undefined;
  const record = requireRecord(ctx, type, req.params.objectId ?? '', false, idProperty);
  prepareUpdate(ctx.crm, type, record, input.properties, API_WRITE)();
  return { status: 200, body: renderRecord(ctx, req, record, Object.keys(input.properties)) };
}

function archive(ctx: SandboxContext, req: ApiRequest) {
  const type = objectType(req.params.objectType ?? '');
  const record = lookupRecord(ctx, type, req.params.objectId ?? '');
  if (record) archiveRecord(ctx.crm, type, record, 'API');
  return { status: 204 };
}

function merge(ctx: SandboxContext, req: ApiRequest) {
  const type = objectType(req.params.objectType ?? '');
  const input = parseBody(mergeSchema, req.body);
  const find = (raw: string) => {
    const record = lookupRecord(ctx, type, raw);
    if (!record || record.archivedAt !== undefined)
      throw validationError(`Object ${raw} does not exist or was deleted.`);
    return record;
  };
  const merged = mergeRecords(ctx.crm, type, find(input.primaryObjectId), find(input.objectIdToMerge));
  return { status: 200, body: renderRecord(ctx, req, merged) };
}

function gdprDelete(ctx: SandboxContext, req: ApiRequest) {
  if (objectType(req.params.objectType ?? '').name !== 'contacts') throw notFound();
  const input = parseBody(gdprDeleteSchema, req.body);
  const record = lookupRecord(ctx, CONTACTS, input.objectId, input.idProperty);
  if (!record) throw validationError(`No contact matches ${input.idProperty ?? 'id'} ${input.objectId}.`);
  purgeRecord(ctx.crm, CONTACTS, record, ctx.random.chance(0.5));
  return { status: 204 };
}

export const objectRoutes: Route[] = [
  { method: 'POST', path: `${BASE}/merge`, kind: 'api', scopes: objectWrite(), handler: merge },
  {
    method: 'POST',
    path: '/crm/v3/objects/:objectType/gdpr-delete',
    kind: 'api',
    scopes: objectWrite(),
    handler: gdprDelete,
  },
  { method: 'GET', path: BASE, kind: 'api', scopes: objectRead(), handler: list },
  { method: 'POST', path: BASE, kind: 'api', scopes: objectWrite(), handler: create },
  { method: 'GET', path: `${BASE}/:objectId`, kind: 'api', scopes: objectRead(), handler: read },
  { method: 'PATCH', path: `${BASE}/:objectId`, kind: 'api', scopes: objectWrite(), handler: update },
  { method: 'DELETE', path: `${BASE}/:objectId`, kind: 'api', scopes: objectWrite(), handler: archive },
];

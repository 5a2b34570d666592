import { associationTypeId } from '../association-store.ts';
import { validationError } from '../hubspot-errors.ts';
import { type ObjectTypeInfo, objectType } from '../object-types.ts';
import { lookupRecord } from '../route-helpers.ts';
import type { ApiRequest, SandboxContext } from '../sandbox-context.ts';

export function types(
  req: ApiRequest,
  from = 'objectType',
  to = 'toObjectType',
): [ObjectTypeInfo, ObjectTypeInfo] {
  const a = objectType(req.params[from] ?? '');
  const b = objectType(req.params[to] ?? '');
  if (a.name === b.name) throw validationError(`Associations between ${a.singular}s are not supported.`);
  return [a, b];
}

/** The live record behind an id, or HubSpot's 400 for an association to nothing. */
export function liveId(ctx: SandboxContext, type: ObjectTypeInfo, raw: string): number {
  const record = lookupRecord(ctx, type, raw);
  if (!record || record.archivedAt !== undefined)
    throw validationError(`No ${type.singular} with id ${raw} exists.`);
  return record.id;
}

export function specOf(from: ObjectTypeInfo) {
  return { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: associationTypeId(from.name) };
}

export function labelsBetween(from: ObjectTypeInfo, fromId: number, to: ObjectTypeInfo, toId: number) {
  return {
    fromObjectTypeId: from.typeId,
    fromObjectId: String(fromId),
    toObjectTypeId: to.typeId,
    toObjectId: String(toId),
    labels: [],
  };
}

/** Both directions of a default association, as HubSpot lists them. */
export function defaultPair(from: ObjectTypeInfo, fromId: number, to: ObjectTypeInfo, toId: number) {
  return [
    { from: { id: String(fromId) }, to: { id: String(toId) }, associationSpec: specOf(from) },
    { from: { id: String(toId) }, to: { id: String(fromId) }, associationSpec: specOf(to) },
  ];
}

/** Associated ids of one record, paged by offset, with the HubSpot-defined type they carry. */
export function associatedPage(
  ctx: SandboxContext,
  from: ObjectTypeInfo,
  to: ObjectTypeInfo,
  fromId: number,
  offset: number,
  limit: number,
) {
  const store = ctx.crm.store(to);
  const ids = ctx.crm.associations
    .of(from.name, fromId)
    .filter((id) => store.has(id) && store.resolve(id)?.archivedAt === undefined);
  const slice = ids.slice(offset, offset + limit);
  const results = slice.map((id) => ({
    toObjectId: String(id),
    associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: associationTypeId(from.name) }],
  }));
  const next = offset + slice.length < ids.length ? String(offset + slice.length) : undefined;
  return { total: ids.length, results, next };
}

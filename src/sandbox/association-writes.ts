import { API_ROLLUP, refreshRollup } from './association-rollups.ts';
import { ASSOCIATION_TYPE_IDS, associationTypeId } from './association-store.ts';
import type { CrmState } from './crm-state.ts';
import { validationError } from './hubspot-errors.ts';
import { type ObjectTypeInfo, otherType } from './object-types.ts';
import type { StoredRecord } from './record-store.ts';
import type { AssociationLookup } from './record-view.ts';
import type { ChangeSource, CrmChange } from './webhooks/crm-change.ts';

export type AssociationSpec = { associationCategory: string; associationTypeId: number };

/** Only the HubSpot-defined contact↔deal types exist here (4 contact→deal, 3 deal→contact). */
export function checkSpecs(
  from: ObjectTypeInfo,
  to: ObjectTypeInfo,
  specs: readonly AssociationSpec[],
): void {
  if (from.name === to.name)
    throw validationError(`Associations between ${from.singular}s are not supported.`);
  for (const spec of specs) {
    if (
      spec.associationCategory !== 'HUBSPOT_DEFINED' ||
      spec.associationTypeId !== ASSOCIATION_TYPE_IDS[from.name]
    ) {
      throw validationError(
        `${spec.associationCategory} ${spec.associationTypeId} is not a valid association type from ${from.singular} to ${to.singular}.`,
      );
    }
  }
}

function changes(from: ObjectTypeInfo, fromId: number, toId: number, removed: boolean): CrmChange[] {
  const to = otherType(from);
  return [
    {
      kind: 'associationChange',
      type: from,
      id: fromId,
      to,
      toId,
      associationTypeId: associationTypeId(from.name),
      removed,
    },
    {
      kind: 'associationChange',
      type: to,
      id: toId,
      to: from,
      toId: fromId,
      associationTypeId: associationTypeId(to.name),
      removed,
    },
  ];
}

/** Links two records; an association change event fires for each side (HubSpot sends both). */
export function associate(
  crm: CrmState,
  from: ObjectTypeInfo,
  fromId: number,
  toId: number,
  source: ChangeSource,
  emit = true,
): void {
  const added = crm.associations.add(from.name, fromId, toId);
  if (!added) return;
  if (emit) crm.sink(changes(from, fromId, toId, false), source);
  recount(crm, from, fromId, toId, { source, emit, touch: emit });
}

/** Both ends' association counts, after their link came or went. */
function recount(crm: CrmState, from: ObjectTypeInfo, fromId: number, toId: number, options = API_ROLLUP) {
  refreshRollup(crm, from, fromId, options);
  refreshRollup(crm, otherType(from), toId, options);
}

export function disassociate(
  crm: CrmState,
  from: ObjectTypeInfo,
  fromId: number,
  toId: number,
  source: ChangeSource,
): void {
  if (!crm.associations.remove(from.name, fromId, toId)) return;
  crm.sink(changes(from, fromId, toId, true), source);
  recount(crm, from, fromId, toId, { ...API_ROLLUP, source });
}

/** Live records linked to `record`, as the v3 `associations` read option shows them. */
export function associationLookup(crm: CrmState, from: ObjectTypeInfo): AssociationLookup {
  return (record: StoredRecord, toTypeName: string) => {
    const to = otherType(from);
    if (toTypeName !== to.name && toTypeName !== to.typeId && toTypeName !== to.singular) return undefined;
    const store = crm.store(to);
    return crm.associations
      .of(from.name, record.id)
      .filter((id) => {
        const linked = store.resolve(id);
        return linked !== undefined && linked.archivedAt === undefined;
      })
      .map((id) => ({ id: String(id), type: `${from.singular}_to_${to.singular}` }));
  };
}

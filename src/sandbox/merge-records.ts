import { API_ROLLUP, refreshAround } from './association-rollups.ts';
import type { CrmState } from './crm-state.ts';
import { validationError } from './hubspot-errors.ts';
import { furthestStage, LIFECYCLE_STAGES, stageEntryProperty } from './lifecycle.ts';
import type { ObjectTypeInfo } from './object-types.ts';
import type { RecordStore, StoredRecord } from './record-store.ts';

/*
 * HubSpot's merge today (developers.hubspot.com/changelog/updated-merge-functionality-for-contacts-and-companies,
 * matching what other object types such as deals already did): the merge creates a NEW record with a
 * NEW id; both old ids point at it, so reading either returns the merged record under its new id.
 * The primary's current values win; values only the secondary had are moved over. The object.merge
 * webhook carries primaryObjectId, mergedObjectIds, newObjectId and numberOfPropertiesMoved
 * (developers.hubspot.com/changelog/new-subscription-types-for-webhooks). Per the knowledge base
 * (knowledge.hubspot.com/records/merge-records) the lifecycle stage keeps the furthest stage, the
 * create date keeps the older one, and associations of both records end up on the merged one.
 */
export function mergeRecords(
  crm: CrmState,
  type: ObjectTypeInfo,
  primary: StoredRecord,
  secondary: StoredRecord,
): StoredRecord {
  if (primary.id === secondary.id) throw validationError('Cannot merge an object with itself.');
  const store = crm.store(type);
  const merged: StoredRecord = {
    id: crm.nextId(),
    createdAt: Math.min(primary.createdAt, secondary.createdAt),
    updatedAt: crm.clock.now(),
    archivedAt: undefined,
    values: [],
  };
  const moved = copyValues(store, primary, secondary, merged);
  if (type.name === 'contacts') mergeLifecycle(crm, store, primary, secondary, merged);
  retire(crm, type, [primary, secondary], merged);
  crm.sink(
    [
      {
        kind: 'merge',
        type,
        id: merged.id,
        primaryObjectId: primary.id,
        mergedObjectIds: [secondary.id],
        numberOfPropertiesMoved: moved,
      },
    ],
    'API',
  );
  // The merged record and each record on the other side now count different links.
  refreshAround(crm, type, merged.id, API_ROLLUP);
  return merged;
}

/** The old records go; their ids, emails and associations now lead to the merged one. */
function retire(crm: CrmState, type: ObjectTypeInfo, olds: StoredRecord[], merged: StoredRecord): void {
  const store = crm.store(type);
  const earlier = olds
    .map((r) => store.getValue(r, 'hs_merged_object_ids'))
    .filter((v) => typeof v === 'string');
  store.setValue(merged, 'hs_merged_object_ids', [...earlier, ...olds.map((r) => String(r.id))].join(';'));
  store.insert(merged);
  for (const old of olds) {
    // Both emails stay with the merged contact: neither can be used for a new one.
    const unique = store.uniqueProperty === undefined ? undefined : store.getValue(old, store.uniqueProperty);
    if (typeof unique === 'string') store.claim(unique, merged.id);
    for (const to of crm.associations.removeAll(type.name, old.id))
      crm.associations.add(type.name, merged.id, to);
    store.remove(old.id, merged.id);
  }
}

/** Primary values win; returns how many values came over from the secondary only. */
function copyValues(
  store: RecordStore,
  primary: StoredRecord,
  secondary: StoredRecord,
  merged: StoredRecord,
): number {
  let moved = 0;
  for (const [name, value] of store.entries(secondary)) {
    if (store.getValue(primary, name) === undefined) moved++;
    store.setValue(merged, name, value);
  }
  for (const [name, value] of store.entries(primary)) store.setValue(merged, name, value);
  return moved;
}

function mergeLifecycle(
  crm: CrmState,
  store: RecordStore,
  a: StoredRecord,
  b: StoredRecord,
  merged: StoredRecord,
): void {
  const stage = (r: StoredRecord) => store.getValue(r, 'lifecyclestage') as string | undefined;
  store.setValue(merged, 'lifecyclestage', furthestStage(stage(a), stage(b)));
  for (const { value } of LIFECYCLE_STAGES) {
    const property = stageEntryProperty(crm.lifecycleDates, value);
    const dates = [store.getValue(a, property), store.getValue(b, property)].filter(
      (d) => typeof d === 'number',
    );
    if (dates.length > 0) store.setValue(merged, property, Math.min(...dates));
  }
}

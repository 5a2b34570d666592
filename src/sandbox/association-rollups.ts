import type { CrmState } from './crm-state.ts';
import { type ObjectTypeInfo, type ObjectTypeName, otherType } from './object-types.ts';
import type { ChangeSource } from './webhooks/crm-change.ts';

/** HubSpot's calculated association counts: read-only numbers it recalculates when links change. */
export const ROLLUP_PROPERTIES: Record<ObjectTypeName, string> = {
  contacts: 'num_associated_deals',
  deals: 'num_associated_contacts',
};

/** `touch`: stamp a changed count as a modification; seeding sets counts without one. */
export type RollupOptions = { source: ChangeSource; emit: boolean; touch: boolean };

export const API_ROLLUP: RollupOptions = { source: 'API', emit: true, touch: true };

function liveLinks(crm: CrmState, type: ObjectTypeName, id: number): number {
  const other = crm.store(otherType(crm.store(type).info));
  let count = 0;
  for (const linked of crm.associations.of(type, id)) {
    const record = other.resolve(linked);
    if (record !== undefined && record.archivedAt === undefined) count++;
  }
  return count;
}

/**
 * Recounts one live record's rollup. A record never linked keeps no value (HubSpot shows null);
 * once counted it shows 0 after its last link goes. A changed count moves the last-modified
 * date, as HubSpot's rollup recalculation does.
 */
export function refreshRollup(crm: CrmState, type: ObjectTypeInfo, id: number, options: RollupOptions): void {
  const store = crm.store(type);
  const record = store.resolve(id);
  if (!record || record.id !== id || record.archivedAt !== undefined) return;
  const name = ROLLUP_PROPERTIES[type.name];
  const next = String(liveLinks(crm, type.name, id));
  if (store.getValue(record, name) === next) return;
  store.setValue(record, name, next);
  if (options.touch) record.updatedAt = crm.clock.now();
  if (options.emit) {
    crm.sink([{ kind: 'propertyChange', type, id, propertyName: name, propertyValue: next }], options.source);
  }
}

/** Recounts a record and every record it links to (after its links or its liveness changed). */
export function refreshAround(crm: CrmState, type: ObjectTypeInfo, id: number, options: RollupOptions): void {
  refreshRollup(crm, type, id, options);
  refreshLinked(crm, otherType(type), crm.associations.of(type.name, id), options);
}

export function refreshLinked(
  crm: CrmState,
  type: ObjectTypeInfo,
  ids: readonly number[],
  options: RollupOptions,
): void {
  for (const id of ids) refreshRollup(crm, type, id, options);
}

import { refreshAround, refreshLinked } from './association-rollups.ts';
import type { CrmState } from './crm-state.ts';
import { type ObjectTypeInfo, otherType } from './object-types.ts';
import type { StoredRecord } from './record-store.ts';
import type { ChangeSource, CrmChange } from './webhooks/crm-change.ts';

/** To the recycle bin: links stay (a restore brings them back) but no longer count. */
export function archiveRecord(
  crm: CrmState,
  type: ObjectTypeInfo,
  record: StoredRecord,
  source: ChangeSource,
): void {
  if (record.archivedAt !== undefined) return;
  record.archivedAt = crm.clock.now();
  crm.sink([{ kind: 'deletion', type, id: record.id }], source);
  refreshAround(crm, type, record.id, { source, emit: true, touch: true });
}

export function restoreRecord(
  crm: CrmState,
  type: ObjectTypeInfo,
  record: StoredRecord,
  source: ChangeSource,
): void {
  if (record.archivedAt === undefined) return;
  record.archivedAt = undefined;
  record.updatedAt = crm.clock.now();
  crm.sink([{ kind: 'restore', type, id: record.id }], source);
  refreshAround(crm, type, record.id, { source, emit: true, touch: true });
}

/** GDPR delete: gone for good, not restorable; HubSpot sends the two events in no fixed order. */
export function purgeRecord(
  crm: CrmState,
  type: ObjectTypeInfo,
  record: StoredRecord,
  privacyFirst: boolean,
): void {
  const store = crm.store(type);
  const unique =
    store.uniqueProperty === undefined ? undefined : store.getValue(record, store.uniqueProperty);
  if (typeof unique === 'string') store.release(unique, record.id);
  const linked = crm.associations.removeAll(type.name, record.id);
  store.remove(record.id);
  const privacy: CrmChange = { kind: 'privacyDeletion', type, id: record.id };
  const deletion: CrmChange = { kind: 'deletion', type, id: record.id };
  crm.sink(privacyFirst ? [privacy, deletion] : [deletion, privacy], 'API');
  refreshLinked(crm, otherType(type), linked, { source: 'API', emit: true, touch: true });
}

import { closedFlags } from './pipelines.ts';
import { formatValue, type StoredValue } from './property-values.ts';
import type { RecordStore, StoredRecord } from './record-store.ts';

const DEFAULT_PROPERTIES = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  deals: [
    'amount',
    'closedate',
    'createdate',
    'dealname',
    'dealstage',
    'hs_lastmodifieddate',
    'hs_object_id',
    'pipeline',
  ],
};

/** A property value as HubSpot would compute it, including the ones HubSpot derives itself. */
export function readValue(store: RecordStore, record: StoredRecord, name: string): StoredValue | undefined {
  switch (name) {
    case 'hs_object_id':
      return String(record.id);
    case 'createdate':
      return record.createdAt;
    case store.info.modifiedProperty:
      return record.updatedAt;
  }
  if (store.info.name === 'deals') {
    const flags = () => closedFlags(store.getValue(record, 'dealstage') as string | undefined);
    if (name === 'hs_is_closed') return String(flags().closed);
    if (name === 'hs_is_closed_won') return String(flags().won);
    if (name === 'hs_is_closed_lost') return String(flags().lost);
    if (name === 'amount_in_home_currency') return store.getValue(record, 'amount');
  }
  return store.getValue(record, name);
}

export function readText(store: RecordStore, record: StoredRecord, name: string): string | undefined {
  const value = readValue(store, record, name);
  return value === undefined ? undefined : formatValue(store.registry.get(name), value);
}

/** Every property with a value, formatted: what a propertyChange diff compares. */
export function snapshot(store: RecordStore, record: StoredRecord | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!record) return out;
  for (const def of store.registry.list(false)) {
    const value = readValue(store, record, def.name);
    if (value !== undefined) out.set(def.name, formatValue(def, value));
  }
  return out;
}

/**
 * Which properties a read returns: the type's defaults when none are named; otherwise the named
 * ones that exist plus the three HubSpot always adds. Unknown names are silently ignored.
 */
export function selectProperties(store: RecordStore, requested: readonly string[] | undefined): string[] {
  if (requested === undefined || requested.length === 0) return DEFAULT_PROPERTIES[store.info.name];
  const names = new Set(['createdate', 'hs_object_id', store.info.modifiedProperty]);
  for (const name of requested) if (store.registry.get(name)) names.add(name);
  return [...names];
}

export type AssociationLookup = (
  record: StoredRecord,
  toTypeName: string,
) => { id: string; type: string }[] | undefined;

export function recordToJson(
  store: RecordStore,
  record: StoredRecord,
  properties: readonly string[],
  associations?: { names: readonly string[]; lookup: AssociationLookup },
): Record<string, unknown> {
  const props: Record<string, string | null> = {};
  for (const name of properties) props[name] = readText(store, record, name) ?? null;
  const json: Record<string, unknown> = {
    id: String(record.id),
    properties: props,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    archived: record.archivedAt !== undefined,
  };
  if (record.archivedAt !== undefined) json.archivedAt = new Date(record.archivedAt).toISOString();
  if (associations) {
    const found: Record<string, unknown> = {};
    for (const name of associations.names) {
      const results = associations.lookup(record, name);
      if (results && results.length > 0) found[name] = { results };
    }
    if (Object.keys(found).length > 0) json.associations = found;
  }
  return json;
}

import { errorBody, HubSpotError } from './hubspot-errors.ts';
import type { StoredValue } from './property-values.ts';
import type { RecordStore, StoredRecord } from './record-store.ts';

export type PropertiesInput = Record<string, string | null>;

/** A second contact with an existing email is refused, like HubSpot's 409. */
export function checkUnique(
  store: RecordStore,
  record: StoredRecord | undefined,
  values: Map<string, StoredValue | undefined>,
) {
  const value = store.uniqueProperty === undefined ? undefined : values.get(store.uniqueProperty);
  if (typeof value !== 'string') return;
  const owner = store.ownerOf(value);
  if (owner !== undefined && owner !== record?.id) {
    throw new HubSpotError(409, errorBody('CONFLICT', `Contact already exists. Existing ID: ${owner}`));
  }
}

/** Inputs of one batch may not share a unique value either. */
export function checkUniqueWithin(store: RecordStore, inputs: PropertiesInput[]): void {
  const name = store.uniqueProperty;
  if (name === undefined) return;
  const seen = new Set<string>();
  for (const input of inputs) {
    const value = input[name]?.toLowerCase();
    if (!value) continue;
    if (seen.has(value))
      throw new HubSpotError(409, errorBody('CONFLICT', `Duplicate ${name} in batch input: ${value}`));
    seen.add(value);
  }
}

/** Keeps the unique-value index in step with a record's stored values. */
export function storeValues(
  store: RecordStore,
  record: StoredRecord,
  values: Map<string, StoredValue | undefined>,
) {
  const name = store.uniqueProperty;
  const before = name === undefined ? undefined : store.getValue(record, name);
  for (const [property, value] of values) store.setValue(record, property, value);
  if (name === undefined || !values.has(name)) return;
  if (typeof before === 'string') store.release(before, record.id);
  const after = store.getValue(record, name);
  if (typeof after === 'string') store.claim(after, record.id);
}

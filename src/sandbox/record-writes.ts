import { ROLLUP_PROPERTIES } from './association-rollups.ts';
import type { CrmState } from './crm-state.ts';
import { propertyValuesInvalid } from './hubspot-errors.ts';
import { stageEntryProperty } from './lifecycle.ts';
import type { ObjectTypeInfo } from './object-types.ts';
import { DEFAULT_PIPELINE_ID, findPipeline } from './pipelines.ts';
import type { StoredValue } from './property-values.ts';
import type { RecordStore, StoredRecord } from './record-store.ts';
import { snapshot } from './record-view.ts';
import { checkUnique, type PropertiesInput, storeValues } from './unique-values.ts';
import type { ChangeSource, CrmChange } from './webhooks/crm-change.ts';

export type WriteOptions = { source: ChangeSource; allowReadOnly: boolean; emit: boolean };

export const API_WRITE: WriteOptions = { source: 'API', allowReadOnly: false, emit: true };

export type { PropertiesInput } from './unique-values.ts';

/** A write that passed validation and can be applied without failing (batches apply all or none). */
export type PreparedWrite = () => StoredRecord;

/** HubSpot computes these; a seeded value for them is dropped rather than stored. */
const DERIVED = new Set([
  ...Object.values(ROLLUP_PROPERTIES),
  'hs_object_id',
  'hs_is_closed',
  'hs_is_closed_won',
  'hs_is_closed_lost',
  'amount_in_home_currency',
]);

export type Plan = { values: Map<string, StoredValue | undefined>; createdAt?: number; updatedAt?: number };

function plan(
  crm: CrmState,
  store: RecordStore,
  record: StoredRecord | undefined,
  input: PropertiesInput,
  options: WriteOptions,
): Plan {
  const values = store.registry.validateWrite(input, options);
  const result: Plan = { values };
  const created = values.get('createdate');
  if (typeof created === 'number') result.createdAt = created;
  const modified = values.get(store.info.modifiedProperty);
  if (typeof modified === 'number') result.updatedAt = modified;
  for (const name of [...DERIVED, 'createdate', store.info.modifiedProperty]) values.delete(name);
  if (store.info.name === 'contacts') stampLifecycle(crm, store, record, values);
  else checkDealStage(crm, store, record, values);
  checkUnique(store, record, values);
  return result;
}

/** A new lifecycle stage stamps its entry date, unless the (seeding) write brings one. */
function stampLifecycle(
  crm: CrmState,
  store: RecordStore,
  record: StoredRecord | undefined,
  values: Plan['values'],
) {
  const next = values.get('lifecyclestage');
  if (typeof next !== 'string') return;
  if (record && store.getValue(record, 'lifecyclestage') === next) return;
  const property = stageEntryProperty(crm.lifecycleDates, next);
  if (!values.has(property)) values.set(property, crm.clock.now());
}

/** A deal's stage must belong to its pipeline; HubSpot defaults the pipeline to "default". */
function checkDealStage(
  crm: CrmState,
  store: RecordStore,
  record: StoredRecord | undefined,
  values: Plan['values'],
) {
  const current = (name: string) =>
    record ? (store.getValue(record, name) as string | undefined) : undefined;
  const pipelineId =
    (values.get('pipeline') as string | undefined) ?? current('pipeline') ?? DEFAULT_PIPELINE_ID;
  const pipeline = findPipeline(pipelineId);
  if (!record && !values.has('pipeline')) values.set('pipeline', pipelineId);
  let stage = values.has('dealstage')
    ? (values.get('dealstage') as string | undefined)
    : current('dealstage');
  if (stage === undefined && !record && pipeline) {
    stage = pipeline.stages[0]?.id;
    values.set('dealstage', stage);
  }
  if (stage !== undefined && !pipeline?.stages.some((s) => s.id === stage)) {
    const message = `${stage} is not a valid dealstage for pipeline ${pipelineId}`;
    throw propertyValuesInvalid([{ name: 'dealstage', error: 'INVALID_OPTION', message }], crm.portalId);
  }
}

function emitDiff(
  crm: CrmState,
  type: ObjectTypeInfo,
  record: StoredRecord,
  before: Map<string, string>,
  head: CrmChange[],
  source: ChangeSource,
) {
  const after = snapshot(crm.store(type), record);
  const changes = [...head];
  for (const [propertyName, propertyValue] of after) {
    if (before.get(propertyName) !== propertyValue) {
      changes.push({ kind: 'propertyChange', type, id: record.id, propertyName, propertyValue });
    }
  }
  for (const name of before.keys()) {
    if (!after.has(name))
      changes.push({ kind: 'propertyChange', type, id: record.id, propertyName: name, propertyValue: '' });
  }
  crm.sink(changes, source);
}

export function prepareCreate(
  crm: CrmState,
  type: ObjectTypeInfo,
  input: PropertiesInput,
  options: WriteOptions,
  id?: number,
): PreparedWrite {
  const store = crm.store(type);
  const p = plan(crm, store, undefined, input, options);
  return () => {
    const now = crm.clock.now();
    const recordId = id ?? crm.nextId();
    if (id !== undefined) crm.claimId(id);
    const record: StoredRecord = {
      id: recordId,
      createdAt: p.createdAt ?? now,
      updatedAt: p.updatedAt ?? now,
      archivedAt: undefined,
      values: [],
    };
    store.insert(record);
    storeValues(store, record, p.values);
    if (options.emit)
      emitDiff(crm, type, record, new Map(), [{ kind: 'creation', type, id: record.id }], options.source);
    return record;
  };
}

export function prepareUpdate(
  crm: CrmState,
  type: ObjectTypeInfo,
  record: StoredRecord,
  input: PropertiesInput,
  options: WriteOptions,
): PreparedWrite {
  const store = crm.store(type);
  const p = plan(crm, store, record, input, options);
  return () => {
    const before = options.emit ? snapshot(store, record) : new Map<string, string>();
    storeValues(store, record, p.values);
    if (p.createdAt !== undefined) record.createdAt = p.createdAt;
    record.updatedAt = p.updatedAt ?? crm.clock.now();
    if (options.emit) emitDiff(crm, type, record, before, [], options.source);
    return record;
  };
}

import { type DriftKind, driftOf } from '../src/core/drift.ts';
import type { ContactNode, DealNode } from '../src/core/recompute.ts';
import { chunk, type ObjectType } from '../src/hubspot/crm.ts';
import { contactReadProperties, toContactNode, toDealNode } from '../src/hubspot/to-records.ts';
import { contactPropertiesRead, DEAL_PROPERTIES_READ } from '../src/hubspot/tracked-properties.ts';
import { addCounts, countKinds, type DriftCounts, NO_DRIFT } from '../src/store/reconcile-state.ts';
import { workSets } from '../src/store/work-sets.ts';
import type { JobContext, PortalScope } from './context.ts';
import { readSide } from './sync-read.ts';

const CONFIRM_BATCH = 100;

/** Fresh copies of records, with their associations; null for those HubSpot no longer has. */
async function readNow(
  context: JobContext,
  scope: PortalScope,
  type: ObjectType,
  ids: readonly string[],
): Promise<Map<string, ContactNode | DealNode | null>> {
  const properties =
    type === 'contacts'
      ? contactReadProperties(contactPropertiesRead(context.config.metrics), scope.portal)
      : DEAL_PROPERTIES_READ;
  const { objects, missing, links } = await readSide(context, type, ids, properties, 'background');
  const fresh = new Map<string, ContactNode | DealNode | null>(missing.map((id) => [id, null]));
  for (const object of objects) {
    const linked = links.get(object.id) ?? [];
    fresh.set(
      object.id,
      type === 'contacts'
        ? toContactNode(object, linked, context.config.metrics, scope.portal)
        : toDealNode(object, linked),
    );
  }
  return fresh;
}

/**
 * Confirms suspected drift with a fresh read (search lags behind writes, and a list sweep is a
 * snapshot over minutes), queues what is really out of date for sync, and counts it by kind.
 */
export async function confirmAndQueue(
  context: JobContext,
  scope: PortalScope,
  type: ObjectType,
  suspects: Iterable<string>,
): Promise<DriftCounts> {
  let counts = NO_DRIFT;
  for (const ids of chunk([...new Set(suspects)], CONFIRM_BATCH)) {
    const fresh = await readNow(context, scope, type, ids);
    const stored = await (type === 'contacts' ? scope.projection.contacts(ids) : scope.projection.deals(ids));
    const drifted = new Map<string, DriftKind>();
    for (const id of ids) {
      const kind = driftOf(stored.get(id), fresh.get(id) ?? null);
      if (kind) drifted.set(id, kind);
    }
    if (drifted.size === 0) continue;
    const queued = [...drifted.keys()];
    await workSets(context.redis, scope.keys).addPending(
      type === 'contacts' ? { contacts: queued, deals: [] } : { contacts: [], deals: queued },
    );
    await context.schedule('sync', scope.portal.portalId);
    counts = addCounts(counts, countKinds(drifted.values()));
  }
  return counts;
}

import { BLANK_CONTACT, BLANK_DEAL } from '../src/core/campaign-values.ts';
import type { ContactNode, DealNode } from '../src/core/recompute.ts';
import type { RecordValues } from '../src/core/record-values.ts';
import { settled } from '../src/hubspot/call-pool.ts';
import { type ObjectType, readAssociations, readObjects } from '../src/hubspot/crm.ts';
import type { Priority } from '../src/hubspot/rate-budget.ts';
import type { CrmObject } from '../src/hubspot/schemas.ts';
import { contactReadProperties, toContactNode, toDealNode } from '../src/hubspot/to-records.ts';
import { contactPropertiesRead, DEAL_PROPERTIES_READ } from '../src/hubspot/tracked-properties.ts';
import type { JobContext, PortalScope } from './context.ts';

export interface FreshRecords {
  readonly contacts: Map<string, ContactNode | null>;
  readonly deals: Map<string, DealNode | null>;
  /** The closeloop_* values each record read shows (empty for unset). */
  readonly shown: { readonly contacts: Map<string, RecordValues>; readonly deals: Map<string, RecordValues> };
}

const SHOWN = { contacts: Object.keys(BLANK_CONTACT), deals: Object.keys(BLANK_DEAL) };

function shownValues(object: CrmObject, names: readonly string[]): RecordValues {
  return Object.fromEntries(names.map((name) => [name, object.properties[name] ?? '']));
}

/**
 * Objects of one type with their associations to the other type; ids HubSpot no longer has are
 * `missing`. Objects and associations are read at once (one round trip, not two), up to
 * HUBSPOT_CONCURRENCY calls each, all under the shared rate budget; a record HubSpot answered
 * for under another id (a merged id's survivor) has its associations read after.
 */
export async function readSide(
  context: JobContext,
  type: ObjectType,
  ids: readonly string[],
  properties: readonly string[],
  priority: Priority,
) {
  const { concurrency } = context.config.hubspot;
  const other: ObjectType = type === 'contacts' ? 'deals' : 'contacts';
  const associationsOf = (wanted: readonly string[]) =>
    readAssociations(context.http, type, other, wanted, priority, concurrency);
  const [{ objects, missing }, read] = await settled([
    readObjects(context.http, type, ids, properties, priority, concurrency),
    associationsOf(ids),
  ]);
  const requested = new Set(ids);
  const survivors = [...new Set(objects.map((object) => object.id))].filter((id) => !requested.has(id));
  for (const [id, linked] of survivors.length > 0 ? await associationsOf(survivors) : [])
    read.set(id, linked);
  // A merged id may be answered under its survivor's id, beside the survivor's own answer.
  const links = new Map([...read].map(([id, linked]) => [id, [...new Set(linked)]]));
  return { objects, missing, links };
}

/**
 * Reads contacts and deals with their associations, plus any associated record the projection
 * does not know yet (one hop), keyed by the ids HubSpot returns: a merged-away id comes back
 * missing, and its survivor under its own id.
 */
export async function readFresh(
  context: JobContext,
  scope: PortalScope,
  ids: { contacts: readonly string[]; deals: readonly string[] },
  priority: Priority = 'live',
): Promise<FreshRecords> {
  const fresh: FreshRecords = {
    contacts: new Map(),
    deals: new Map(),
    shown: { contacts: new Map(), deals: new Map() },
  };
  const contactProperties = [
    ...contactReadProperties(contactPropertiesRead(context.config.metrics), scope.portal),
    ...SHOWN.contacts,
  ];
  let wanted = { contacts: [...ids.contacts], deals: [...ids.deals] };
  for (let hop = 0; hop < 2 && wanted.contacts.length + wanted.deals.length > 0; hop++) {
    // Settled, not Promise.all: a side that fails must not leave the other's calls running.
    const [contacts, deals] = await settled([
      readSide(context, 'contacts', wanted.contacts, contactProperties, priority),
      readSide(context, 'deals', wanted.deals, [...DEAL_PROPERTIES_READ, ...SHOWN.deals], priority),
    ]);
    for (const id of contacts.missing) fresh.contacts.set(id, null);
    for (const object of contacts.objects) {
      fresh.shown.contacts.set(object.id, shownValues(object, SHOWN.contacts));
      fresh.contacts.set(
        object.id,
        toContactNode(object, contacts.links.get(object.id) ?? [], context.config.metrics, scope.portal),
      );
    }
    for (const id of deals.missing) fresh.deals.set(id, null);
    for (const object of deals.objects) {
      fresh.shown.deals.set(object.id, shownValues(object, SHOWN.deals));
      fresh.deals.set(object.id, toDealNode(object, deals.links.get(object.id) ?? []));
    }
    wanted = await unknownNeighbours(scope, fresh);
  }
  return fresh;
}

/** Associated records neither read now nor held by the projection. */
async function unknownNeighbours(scope: PortalScope, fresh: FreshRecords) {
  const dealIds = [
    ...new Set([...fresh.contacts.values()].flatMap((record) => record?.dealIds ?? [])),
  ].filter((id) => !fresh.deals.has(id));
  const contactIds = [
    ...new Set([...fresh.deals.values()].flatMap((record) => record?.contactIds ?? [])),
  ].filter((id) => !fresh.contacts.has(id));
  const [knownDeals, knownContacts] = await Promise.all([
    scope.projection.deals(dealIds),
    scope.projection.contacts(contactIds),
  ]);
  return {
    contacts: contactIds.filter((id) => !knownContacts.has(id)),
    deals: dealIds.filter((id) => !knownDeals.has(id)),
  };
}

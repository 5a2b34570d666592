import { randomUUID } from 'node:crypto';
import { meaningOf } from '../src/config.ts';
import type { ContactNode, DealNode } from '../src/core/recompute.ts';
import { TransientError } from '../src/errors.ts';
import { listObjects, type ObjectType, readAssociations } from '../src/hubspot/crm.ts';
import { contactReadProperties, toContactNode, toDealNode } from '../src/hubspot/to-records.ts';
import { contactPropertiesRead, DEAL_PROPERTIES_READ } from '../src/hubspot/tracked-properties.ts';
import { type BackfillState, backfillState, dropGeneration } from '../src/store/backfill-state.ts';
import { applyFigures } from './apply-figures.ts';
import { currentGeneration, type JobContext, type PortalScope, portalScope } from './context.ts';

const LOCK_MS = 10 * 60_000;
const SCAN_COUNT = 500;

export interface BackfillProgress {
  readonly phase: BackfillState['phase'];
  readonly counts: Readonly<Record<string, number>>;
}

export interface BackfillOptions {
  readonly reason: string;
  readonly onProgress?: (progress: BackfillProgress) => void;
}

type Step = (context: JobContext, scope: PortalScope, state: BackfillState) => Promise<BackfillState>;

/** Pages every contact or deal into the new generation (list paging: no 10,000 search cap). */
function listPhase(type: ObjectType): Step {
  return async (context, scope, state) => {
    const properties =
      type === 'contacts'
        ? contactReadProperties(contactPropertiesRead(context.config.metrics), scope.portal)
        : DEAL_PROPERTIES_READ;
    const page = await listObjects(context.http, type, properties, state.cursor, 'background');
    const contacts = new Map<string, ContactNode>();
    const deals = new Map<string, DealNode>();
    for (const object of page.objects) {
      if (type === 'contacts')
        contacts.set(object.id, toContactNode(object, [], context.config.metrics, scope.portal));
      const deal = type === 'deals' ? toDealNode(object, []) : null;
      if (deal) deals.set(object.id, deal);
    }
    await scope.projection.write({ contacts, deals });
    const counts = { ...state.counts, [type]: (state.counts[type] ?? 0) + page.objects.length };
    return page.after
      ? { ...state, cursor: page.after, counts }
      : { ...state, phase: type === 'contacts' ? 'deals' : 'associations', cursor: undefined, counts };
  };
}

/**
 * A step over the new generation's contacts, some hundreds per call, resumable from the bucket
 * saved as the cursor (both uses are idempotent, so a step cut off and repeated does no harm).
 */
function contactSlices(
  next: BackfillState['phase'],
  countKey: string,
  work: (context: JobContext, scope: PortalScope, ids: string[]) => Promise<void>,
): Step {
  return async (context, scope, state) => {
    const { ids, next: bucket } = await scope.projection.idsFrom(
      'contacts',
      Number(state.cursor ?? '0'),
      SCAN_COUNT,
    );
    await work(context, scope, ids);
    const counts = { ...state.counts, [countKey]: (state.counts[countKey] ?? 0) + ids.length };
    return bucket === 0
      ? { ...state, phase: next, cursor: undefined, counts }
      : { ...state, cursor: String(bucket), counts };
  };
}

/** Links contacts to their deals, on both sides. */
async function linkDeals(context: JobContext, scope: PortalScope, ids: string[]): Promise<void> {
  const links = await readAssociations(context.http, 'contacts', 'deals', ids, 'background');
  const contacts = await scope.projection.contacts(ids);
  const deals = await scope.projection.deals([...new Set([...links.values()].flat())]);
  const changedContacts = new Map<string, ContactNode>();
  const changedDeals = new Map<string, DealNode>();
  for (const [contactId, dealIds] of links) {
    const contact = contacts.get(contactId);
    const known = dealIds.filter((id) => deals.has(id));
    if (contact) changedContacts.set(contactId, { ...contact, dealIds: known });
    for (const dealId of known) {
      const deal = changedDeals.get(dealId) ?? (deals.get(dealId) as DealNode);
      if (deal.contactIds.includes(contactId)) continue;
      changedDeals.set(dealId, { ...deal, contactIds: [...deal.contactIds, contactId] });
    }
  }
  await scope.projection.write({ contacts: changedContacts, deals: changedDeals });
}

/** Computes the figures of leads and their deals into the new generation's totals. */
async function computeFigures(context: JobContext, scope: PortalScope, ids: string[]): Promise<void> {
  const contacts = await scope.projection.contacts(ids);
  const dealIds = new Set([...contacts.values()].flatMap((contact) => contact.dealIds));
  await applyFigures(scope, new Set(ids), dealIds, context.now());
}

/** Makes the new generation live; what live sync touched meanwhile is re-read on top of it. */
const swapPhase: Step = async (context, scope, state) => {
  const keys = scope.keys;
  const previous = await currentGeneration(context.redis, keys);
  await context.redis
    .multi()
    .set(keys.generation, String(state.generation))
    .del(keys.building)
    .sunionstore(keys.pending('contact'), keys.pending('contact'), keys.touched('contact'))
    .sunionstore(keys.pending('deal'), keys.pending('deal'), keys.touched('deal'))
    .del(keys.touched('contact'), keys.touched('deal'), keys.scoredWith)
    .set(scope.projection.keys.meaning, meaningOf(context.config))
    .exec();
  if (previous !== state.generation) await dropGeneration(context.redis, keys, previous);
  await context.schedule('sync', scope.portal.portalId);
  await context.schedule('stats', scope.portal.portalId);
  return state;
};

const STEPS: Record<Exclude<BackfillState['phase'], 'swap'>, Step> = {
  contacts: listPhase('contacts'),
  deals: listPhase('deals'),
  associations: contactSlices('figures', 'associated', linkDeals),
  figures: contactSlices('swap', 'figured', computeFigures),
};

async function startOrResume(
  context: JobContext,
  scope: PortalScope,
  reason: string,
): Promise<BackfillState> {
  const store = backfillState(context.redis, scope.keys);
  const saved = await store.load();
  const meaning = meaningOf(context.config);
  // Progress made under other settings, or in an older stored layout, is not resumed: its
  // generation would mix two meanings (or be unreadable), so it starts over.
  if (saved?.meaning === meaning) return saved;
  // Never the live one: a crash after the swap but before the state was cleared leaves it there.
  if (saved && saved.generation !== scope.generation)
    await dropGeneration(context.redis, scope.keys, saved.generation);
  const counter = `${scope.keys.base}:generations`;
  const generation = Math.max(await context.redis.incr(counter), scope.generation + 1);
  await context.redis.set(counter, String(generation));
  await dropGeneration(context.redis, scope.keys, generation);
  await context.redis
    .multi()
    .set(scope.keys.building, String(generation))
    .del(scope.keys.touched('contact'), scope.keys.touched('deal'))
    .exec();
  const state: BackfillState = { generation, phase: 'contacts', counts: {}, reason, meaning };
  await store.save(state);
  return state;
}

/**
 * Rebuilds the projection from HubSpot into a new generation while live events keep flowing into
 * the current one, then swaps it in and re-reads what changed meanwhile. Progress is saved after
 * every page: an interrupted backfill resumes where it stopped.
 */
export async function backfill(
  context: JobContext,
  options: BackfillOptions,
): Promise<Record<string, number>> {
  const live = await portalScope(context, undefined, { anyLayout: true });
  const store = backfillState(context.redis, live.keys);
  const lock = store.lease(randomUUID(), LOCK_MS);
  if (!(await lock.take()))
    throw new TransientError('Another backfill is running for this portal', { minDelayMs: 60_000 });
  try {
    let state = await startOrResume(context, live, options.reason);
    const scope = await portalScope(context, state.generation);
    while (state.phase !== 'swap') {
      state = await STEPS[state.phase](context, scope, state);
      await store.save(state);
      await lock.renew();
      options.onProgress?.({ phase: state.phase, counts: state.counts });
    }
    await swapPhase(context, scope, state);
    await store.clear();
    return state.counts;
  } finally {
    await lock.release();
  }
}

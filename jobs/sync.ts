import { meaningOf } from '../src/config.ts';
import { reconcileGraph, type StoredRecords } from '../src/core/association-graph.ts';
import { TransientError } from '../src/errors.ts';
import { outbox } from '../src/store/outbox.ts';
import { workSets } from '../src/store/work-sets.ts';
import { applyFigures } from './apply-figures.ts';
import { type JobContext, type PortalScope, portalScope } from './context.ts';
import { type FreshRecords, readFresh } from './sync-read.ts';

/**
 * Ids per run: ten batch reads a side, two round trips at the default HUBSPOT_CONCURRENCY, so a
 * run stays short and progress is saved often, yet a backlog keeps enough calls in flight to use
 * the rate budget (at 500, runs one after another left a tenth of it unused).
 */
export const IDS_PER_RUN = 1000;

export interface SyncReport {
  readonly contactsRead: number;
  readonly dealsRead: number;
  readonly gone: number;
  readonly leadsRecomputed: number;
}

/** What the projection holds of the fresh records and of their neighbours, before and after. */
async function storedAround(scope: PortalScope, fresh: FreshRecords): Promise<StoredRecords> {
  const contacts = await scope.projection.contacts([...fresh.contacts.keys()]);
  const deals = await scope.projection.deals([...fresh.deals.keys()]);
  const dealIds = new Set<string>();
  const contactIds = new Set<string>();
  for (const record of [...fresh.contacts.values(), ...contacts.values()])
    for (const id of record?.dealIds ?? []) dealIds.add(id);
  for (const record of [...fresh.deals.values(), ...deals.values()])
    for (const id of record?.contactIds ?? []) contactIds.add(id);
  for (const [id, record] of await scope.projection.deals([...dealIds].filter((id) => !deals.has(id))))
    deals.set(id, record);
  for (const [id, record] of await scope.projection.contacts(
    [...contactIds].filter((id) => !contacts.has(id)),
  )) {
    contacts.set(id, record);
  }
  return { contacts, deals };
}

/** Whether the live generation was computed under the current settings (a new one adopts them). */
async function meaningMatches(context: JobContext, scope: PortalScope): Promise<boolean> {
  const meaning = meaningOf(context.config);
  await context.redis.set(scope.projection.keys.meaning, meaning, 'NX');
  return (await context.redis.get(scope.projection.keys.meaning)) === meaning;
}

function gone(records: ReadonlyMap<string, unknown>): string[] {
  return [...records].flatMap(([id, record]) => (record === null ? [id] : []));
}

/**
 * Re-reads what changed, writes it into the projection, recomputes the figures that depend on
 * it and marks those records for scoring. Idempotent: running it twice changes nothing more.
 */
export async function sync(jobId: string, context: JobContext): Promise<SyncReport> {
  const scope = await portalScope(context, undefined, { anyLayout: true });
  const sets = workSets(context.redis, scope.keys);
  if (!(await meaningMatches(context, scope))) {
    // The live figures were computed under other settings; a rebuild is on its way and re-reads
    // everything touched meanwhile, so applying changes now would only mix two configurations.
    if (await context.redis.exists(scope.keys.building)) {
      await sets.dropPending();
      return { contactsRead: 0, dealsRead: 0, gone: 0, leadsRecomputed: 0 };
    }
    throw new TransientError('Settings changed: waiting for the rebuild to start', { minDelayMs: 5000 });
  }
  const ids = {
    contacts: await sets.take('contact', jobId, IDS_PER_RUN),
    deals: await sets.take('deal', jobId, IDS_PER_RUN),
  };

  const fresh = await readFresh(context, scope, ids);
  const writes = outbox(context.redis, scope.keys);
  await writes.learnShown('contacts', fresh.shown.contacts);
  await writes.learnShown('deals', fresh.shown.deals);
  const change = reconcileGraph(fresh, await storedAround(scope, fresh));

  await scope.projection.write(change);
  await applyFigures(scope, change.affectedContacts, change.affectedDeals, context.now());
  const goneContacts = gone(fresh.contacts);
  const goneDeals = gone(fresh.deals);
  await writes.forget('contacts', goneContacts);
  await writes.forget('deals', goneDeals);
  await sets.markRescore(
    'contacts',
    [...change.affectedContacts].filter((id) => !goneContacts.includes(id)),
  );
  await sets.markRescore(
    'deals',
    [...change.affectedDeals].filter((id) => !goneDeals.includes(id)),
  );
  await sets.finish(jobId);

  if (await sets.hasPending()) await context.schedule('sync', scope.portal.portalId);
  // New figures: the statistics first, then the score run they wake.
  await context.schedule('stats', scope.portal.portalId);
  return {
    contactsRead: fresh.contacts.size,
    dealsRead: fresh.deals.size,
    gone: goneContacts.length + goneDeals.length,
    leadsRecomputed: change.affectedContacts.size,
  };
}

import { type DriftKind, searchDriftOf } from '../src/core/drift.ts';
import { type SweepCursor, startCursor, sweepStep } from '../src/core/sweep-cursor.ts';
import { type ObjectType, type SearchFilter, searchObjects } from '../src/hubspot/crm.ts';
import { backgroundPausedUntil } from '../src/hubspot/daily-budget.ts';
import type { CrmObject } from '../src/hubspot/schemas.ts';
import {
  contactReadProperties,
  parseHubSpotDate,
  toContactNode,
  toDealNode,
} from '../src/hubspot/to-records.ts';
import { contactPropertiesRead, DEAL_PROPERTIES_READ } from '../src/hubspot/tracked-properties.ts';
import {
  addCounts,
  NO_DRIFT,
  type RecentSweep,
  reconcileState,
  type SweepReport,
} from '../src/store/reconcile-state.ts';
import type { JobContext, PortalScope } from './context.ts';
import { confirmAndQueue } from './reconcile-confirm.ts';
import { repairWritten, SHOWN_PROPERTIES } from './reconcile-written.ts';

/** Search's index trails writes by seconds to minutes: each sweep reaches back this far into the last. */
export const SWEEP_OVERLAP_MS = 10 * 60_000;
/** How far the first sweep after setup looks back. */
export const FIRST_SWEEP_LOOKBACK_MS = 24 * 3600_000;
const PAGE = 200;

const MODIFIED: Record<ObjectType, string> = { contacts: 'lastmodifieddate', deals: 'hs_lastmodifieddate' };
const ASSOCIATED_COUNT: Record<ObjectType, string> = {
  contacts: 'num_associated_deals',
  deals: 'num_associated_contacts',
};

export interface ReconcileReport extends SweepReport {
  /** Set when the sweep did not run: background work waits for the daily budget's reset. */
  readonly skipped?: string;
}

function readProperties(context: JobContext, scope: PortalScope, type: ObjectType): string[] {
  const tracked =
    type === 'contacts'
      ? contactReadProperties(contactPropertiesRead(context.config.metrics), scope.portal)
      : [...DEAL_PROPERTIES_READ];
  return [...tracked, MODIFIED[type], ASSOCIATED_COUNT[type], ...SHOWN_PROPERTIES[type]];
}

/** The query answering a cursor: one sort per search, so each half of the keyset is its own query. */
function queryFor(type: ObjectType, cursor: SweepCursor, until: number) {
  const modified = MODIFIED[type];
  const filters: SearchFilter[] =
    cursor.phase === 'same'
      ? [
          { propertyName: modified, operator: 'EQ', value: String(cursor.at) },
          { propertyName: 'hs_object_id', operator: 'GT', value: cursor.afterId },
        ]
      : [
          { propertyName: modified, operator: 'GT', value: String(cursor.at) },
          { propertyName: modified, operator: 'LTE', value: String(until) },
        ];
  const sortBy = cursor.phase === 'same' ? 'hs_object_id' : modified;
  return { filters, sorts: [{ propertyName: sortBy, direction: 'ASCENDING' as const }] };
}

/** Records of the page whose search copy disagrees with the projection (to be confirmed). */
async function suspectsIn(
  context: JobContext,
  scope: PortalScope,
  type: ObjectType,
  objects: readonly CrmObject[],
): Promise<string[]> {
  const ids = objects.map((object) => object.id);
  const stored = await (type === 'contacts' ? scope.projection.contacts(ids) : scope.projection.deals(ids));
  return objects.flatMap((object) => {
    const found =
      type === 'contacts'
        ? toContactNode(object, [], context.config.metrics, scope.portal)
        : toDealNode(object, []);
    if (!found) return [];
    const count = Number(object.properties[ASSOCIATED_COUNT[type]] ?? Number.NaN);
    const kind: DriftKind | undefined = searchDriftOf(
      stored.get(object.id),
      found,
      Number.isFinite(count) ? count : undefined,
    );
    return kind ? [object.id] : [];
  });
}

/** One page of the sweep: search, compare, confirm, queue; returns the sweep moved on. */
async function sweepPage(
  context: JobContext,
  scope: PortalScope,
  type: ObjectType,
  sweep: RecentSweep & { cursor: SweepCursor },
): Promise<RecentSweep> {
  const page = await searchObjects(
    context.http,
    type,
    { ...queryFor(type, sweep.cursor, sweep.until), properties: readProperties(context, scope, type) },
    'background',
  );
  const stamps = page.objects.map((object) => ({
    id: object.id,
    modifiedAt: parseHubSpotDate(object.properties[MODIFIED[type]]) ?? sweep.cursor.at,
  }));
  const step = sweepStep(sweep.cursor, stamps, PAGE);
  const process = new Set(step.process);
  const processed = page.objects.filter((object) => process.has(object.id));
  const suspects = await suspectsIn(context, scope, type, processed);
  const fixed = await confirmAndQueue(context, scope, type, suspects);
  await repairWritten(context, scope, type, processed);
  return {
    ...sweep,
    cursor: step.next,
    checked: sweep.checked + process.size,
    fixed: addCounts(sweep.fixed, fixed),
  };
}

/** Sweeps one object type from where the last sweep ended to now; resumes a sweep a crash cut short. */
async function sweepType(context: JobContext, scope: PortalScope, type: ObjectType): Promise<RecentSweep> {
  const state = reconcileState(context.redis, scope.keys);
  const now = context.now();
  const since = (await state.nextSince(type)) ?? now - FIRST_SWEEP_LOOKBACK_MS;
  let sweep: RecentSweep = (await state.loadRecent(type)) ?? {
    since,
    until: now,
    cursor: startCursor(since),
    checked: 0,
    fixed: NO_DRIFT,
  };
  while (sweep.cursor) {
    sweep = await sweepPage(context, scope, type, { ...sweep, cursor: sweep.cursor });
    await state.saveRecent(type, sweep);
  }
  await state.finishRecent(type, sweep.until - SWEEP_OVERLAP_MS);
  return sweep;
}

/**
 * Finds what webhooks missed among records modified since the last sweep (search on the
 * modified date, keyset-paged past the 10,000 cap), confirms each suspect with a fresh read and
 * queues the out-of-date ones for sync. Deleted and merged records never show up in search: the
 * id sweep finds those.
 */
export async function reconcileRecent(context: JobContext, scope: PortalScope): Promise<ReconcileReport> {
  const state = reconcileState(context.redis, scope.keys);
  const paused = await backgroundPausedUntil(context.redis, context.config.redis.prefix);
  const report: ReconcileReport = {
    sweep: 'recent',
    finishedAt: context.now(),
    checked: {},
    fixed: {},
  };
  if (paused)
    return { ...report, skipped: `daily API reserve reached until ${new Date(paused).toISOString()}` };
  const checked: Record<string, number> = {};
  const fixed: Record<string, RecentSweep['fixed']> = {};
  for (const type of ['contacts', 'deals'] as const) {
    const sweep = await sweepType(context, scope, type);
    checked[type] = sweep.checked;
    fixed[type] = sweep.fixed;
  }
  const done = { ...report, finishedAt: context.now(), checked, fixed };
  await state.saveReport(done);
  return done;
}

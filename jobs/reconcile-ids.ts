import { listObjects, type ObjectType } from '../src/hubspot/crm.ts';
import { backgroundPausedUntil } from '../src/hubspot/daily-budget.ts';
import {
  addCounts,
  type DriftCounts,
  type IdSweep,
  NO_DRIFT,
  type ReconcileState,
  reconcileState,
} from '../src/store/reconcile-state.ts';
import type { JobContext, PortalScope } from './context.ts';
import type { ReconcileReport } from './reconcile.ts';
import { confirmAndQueue } from './reconcile-confirm.ts';

const SCAN_COUNT = 500;

/** Lists every id HubSpot has into a set, one page per step, saving the cursor after each. */
async function listAll(
  context: JobContext,
  state: ReconcileState,
  type: ObjectType,
  sweep: IdSweep,
): Promise<IdSweep> {
  let current = sweep;
  while (current.phase === 'list') {
    // Only ids are needed; one small property keeps the pages light.
    const page = await listObjects(context.http, type, ['hs_object_id'], current.after, 'background');
    const ids = page.objects.map((object) => object.id);
    if (ids.length > 0) await context.redis.sadd(state.seenKey(type), ...ids);
    current = page.after
      ? { ...current, after: page.after, listed: current.listed + ids.length }
      : { ...current, after: undefined, listed: current.listed + ids.length, phase: 'compare' };
    await state.saveIds(type, current);
  }
  return current;
}

/** Ids on one side only, a scan slice at a time: stored but not listed, or listed but not stored. */
async function* oneSided(context: JobContext, scope: PortalScope, state: ReconcileState, type: ObjectType) {
  const seen = state.seenKey(type);
  let bucket = 0;
  do {
    const { ids, next } = await scope.projection.idsFrom(type, bucket, SCAN_COUNT);
    bucket = next;
    if (ids.length === 0) continue;
    const listed = await context.redis.smismember(seen, ...ids);
    yield ids.filter((_, index) => listed[index] === 0);
  } while (bucket !== 0);
  let cursor = '0';
  do {
    const [next, ids] = await context.redis.sscan(seen, cursor, 'COUNT', SCAN_COUNT);
    cursor = next;
    if (ids.length === 0) continue;
    const known = await scope.projection.stored(type, ids);
    yield ids.filter((_, index) => !known[index]);
  } while (cursor !== '0');
}

async function sweepIds(context: JobContext, scope: PortalScope, type: ObjectType) {
  const state = reconcileState(context.redis, scope.keys);
  const saved = await state.loadIds(type);
  if (!saved) await context.redis.del(state.seenKey(type));
  const sweep = await listAll(context, state, type, saved ?? { listed: 0, phase: 'list', fixed: NO_DRIFT });
  let fixed: DriftCounts = sweep.fixed;
  for await (const suspects of oneSided(context, scope, state, type)) {
    if (suspects.length > 0) fixed = addCounts(fixed, await confirmAndQueue(context, scope, type, suspects));
  }
  await state.finishIds(type);
  return { listed: sweep.listed, fixed };
}

/**
 * Compares every id HubSpot lists with the projection: search never returns deleted or merged
 * records, so only this finds what their missed webhooks left behind (and records never
 * modified since a missed creation). Slow (one call per 100 records), so it runs rarely.
 */
export async function reconcileIds(context: JobContext, scope: PortalScope): Promise<ReconcileReport> {
  const report: ReconcileReport = { sweep: 'ids', finishedAt: context.now(), checked: {}, fixed: {} };
  const paused = await backgroundPausedUntil(context.redis, context.config.redis.prefix);
  if (paused)
    return { ...report, skipped: `daily API reserve reached until ${new Date(paused).toISOString()}` };
  const checked: Record<string, number> = {};
  const fixed: Record<string, DriftCounts> = {};
  for (const type of ['contacts', 'deals'] as const) {
    const result = await sweepIds(context, scope, type);
    checked[type] = result.listed;
    fixed[type] = result.fixed;
  }
  const done = { ...report, finishedAt: context.now(), checked, fixed };
  await reconcileState(context.redis, scope.keys).saveReport(done);
  return done;
}

import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { DriftKind } from '../core/drift.ts';
import type { ObjectType } from '../hubspot/crm.ts';
import type { PortalKeys } from './keys.ts';

export type SweepKind = 'recent' | 'ids';
export type DriftCounts = Readonly<Record<DriftKind, number>>;

export const NO_DRIFT: DriftCounts = { missing: 0, deleted: 0, changed: 0, associations: 0 };

const countsSchema = z.object({
  missing: z.number(),
  deleted: z.number(),
  changed: z.number(),
  associations: z.number(),
}) satisfies z.ZodType<Record<DriftKind, number>>;

const cursorSchema = z.object({ at: z.number(), afterId: z.string(), phase: z.enum(['same', 'later']) });

/** A sweep of recently modified records in progress: saved after every page, so a crash resumes it. */
const recentSweepSchema = z.object({
  since: z.number(),
  until: z.number(),
  cursor: cursorSchema.nullable(),
  checked: z.number(),
  fixed: countsSchema,
});
export type RecentSweep = z.infer<typeof recentSweepSchema>;

/** A sweep of every id in progress: the list cursor; the ids seen so far are in a set beside it. */
const idSweepSchema = z.object({
  after: z.string().optional(),
  listed: z.number(),
  phase: z.enum(['list', 'compare']),
  fixed: countsSchema,
});
export type IdSweep = z.infer<typeof idSweepSchema>;

/** What a finished sweep did, per object type, for `doctor` and the logs. */
export const sweepReportSchema = z.object({
  sweep: z.enum(['recent', 'ids']),
  finishedAt: z.number(),
  checked: z.record(z.string(), z.number()),
  fixed: z.record(z.string(), countsSchema),
});
export type SweepReport = z.infer<typeof sweepReportSchema>;

function parsed<T>(schema: z.ZodType<T>, text: string | null): T | undefined {
  if (text === null) return undefined;
  const result = schema.safeParse(JSON.parse(text));
  return result.success ? result.data : undefined;
}

export function reconcileState(redis: Redis, keys: PortalKeys) {
  const base = `${keys.base}:reconcile`;
  const key = {
    recent: (type: ObjectType) => `${base}:recent:${type}`,
    nextSince: (type: ObjectType) => `${base}:next-since:${type}`,
    ids: (type: ObjectType) => `${base}:ids:${type}`,
    seen: (type: ObjectType) => `${base}:ids:${type}:seen`,
    report: (sweep: SweepKind) => `${base}:last:${sweep}`,
  };
  return {
    seenKey: key.seen,
    loadRecent: async (type: ObjectType) => parsed(recentSweepSchema, await redis.get(key.recent(type))),
    saveRecent: (type: ObjectType, sweep: RecentSweep) => redis.set(key.recent(type), JSON.stringify(sweep)),
    /** Where the next sweep starts: this one's end, less an overlap for search's indexing lag. */
    async finishRecent(type: ObjectType, nextSince: number): Promise<void> {
      await redis.multi().set(key.nextSince(type), String(nextSince)).del(key.recent(type)).exec();
    },
    async nextSince(type: ObjectType): Promise<number | undefined> {
      const value = await redis.get(key.nextSince(type));
      return value === null ? undefined : Number(value);
    },
    loadIds: async (type: ObjectType) => parsed(idSweepSchema, await redis.get(key.ids(type))),
    saveIds: (type: ObjectType, sweep: IdSweep) => redis.set(key.ids(type), JSON.stringify(sweep)),
    async finishIds(type: ObjectType): Promise<void> {
      await redis.del(key.ids(type), key.seen(type));
    },
    saveReport: (report: SweepReport) => redis.set(key.report(report.sweep), JSON.stringify(report)),
    loadReport: async (sweep: SweepKind) => parsed(sweepReportSchema, await redis.get(key.report(sweep))),
  };
}

export type ReconcileState = ReturnType<typeof reconcileState>;

export function addCounts(a: DriftCounts, b: DriftCounts): DriftCounts {
  return {
    missing: a.missing + b.missing,
    deleted: a.deleted + b.deleted,
    changed: a.changed + b.changed,
    associations: a.associations + b.associations,
  };
}

export function countKinds(kinds: Iterable<DriftKind>): DriftCounts {
  const counts = { ...NO_DRIFT };
  for (const kind of kinds) counts[kind]++;
  return counts;
}

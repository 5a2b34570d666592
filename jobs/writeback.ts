import { randomUUID } from 'node:crypto';
import { TransientError } from '../src/errors.ts';
import { inLanes } from '../src/hubspot/call-pool.ts';
import { BATCH_LIMIT, updateBatch } from '../src/hubspot/crm.ts';
import type { Priority } from '../src/hubspot/rate-budget.ts';
import { lease } from '../src/store/lock.ts';
import { type Outbox, type OutgoingWrite, outbox, type RecordType } from '../src/store/outbox.ts';
import { workSets } from '../src/store/work-sets.ts';
import { type JobContext, type PortalScope, portalScope } from './context.ts';

/** How long one run writes before yielding to other jobs (it reschedules itself if work is left). */
export const RUN_BUDGET_MS = 20_000;

export interface WritebackReport {
  readonly written: number;
  readonly gone: number;
  readonly retried: number;
  readonly calls: number;
  readonly byType: Readonly<Record<RecordType, { readonly written: number; readonly gone: number }>>;
}

type Tally = { -readonly [K in Exclude<keyof WritebackReport, 'byType'>]: number } & {
  byType: Record<RecordType, { written: number; gone: number }>;
};

/**
 * Values for a merged-away id belong to no record any more: forget them and re-read the id. Its
 * survivor took those values, so it is rescored and written again.
 */
async function reReadMoved(
  context: JobContext,
  scope: PortalScope,
  writes: Outbox,
  type: RecordType,
  result: { moved: readonly string[]; overwritten: readonly string[] },
): Promise<void> {
  const { moved, overwritten } = result;
  await writes.forget(type, moved);
  await writes.overwritten(type, overwritten);
  const sets = workSets(context.redis, scope.keys);
  await sets.addPending(
    type === 'contacts' ? { contacts: moved, deals: [] } : { contacts: [], deals: moved },
  );
  await sets.markRescore(type, overwritten);
  await context.schedule('sync', scope.portal.portalId);
}

/**
 * A fault after some records were written ends the run rather than failing it; the next run
 * starts at once, so a job's attempts, and their backoff, count faults in a row, not every fault
 * of a long write-back that keeps getting through.
 */
function endsRun(error: unknown, report: Tally): boolean {
  return error instanceof TransientError && report.written + report.gone > 0;
}

/** Another write-back holds the portal's lease: the job tries again once it lapses. */
export class WritebackLeaseHeldError extends TransientError {}

/**
 * Hands each lane a batch of its own: picks take turns, and ids another lane is sending are left
 * out until HubSpot has answered for them, so no record is in two batches at once.
 */
function batchPicker(writes: Outbox, type: RecordType) {
  const sending = new Set<string>();
  let turn: Promise<unknown> = Promise.resolve();
  return {
    take(): Promise<OutgoingWrite[]> {
      const pick = turn.then(async () => {
        const batch = await writes.next(type, BATCH_LIMIT, sending);
        for (const write of batch) sending.add(write.id);
        return batch;
      });
      turn = pick.catch(() => undefined);
      return pick;
    },
    answered(batch: readonly OutgoingWrite[]): void {
      for (const write of batch) sending.delete(write.id);
    },
  };
}

type BatchPicker = ReturnType<typeof batchPicker>;

async function writeOneBatch(
  context: JobContext,
  scope: PortalScope,
  writes: Outbox,
  type: RecordType,
  priority: Priority,
  picker: BatchPicker,
  stopped: () => boolean,
) {
  const batch = await picker.take();
  // A lane that failed released its batch while this one was picking: that batch must wait for
  // the next run (with its backoff), not be sent again at once.
  if (batch.length === 0 || stopped()) {
    picker.answered(batch);
    return undefined;
  }
  try {
    return await sendBatch(context, scope, writes, type, priority, batch);
  } finally {
    picker.answered(batch);
  }
}

async function sendBatch(
  context: JobContext,
  scope: PortalScope,
  writes: Outbox,
  type: RecordType,
  priority: Priority,
  batch: readonly OutgoingWrite[],
) {
  const result = await updateBatch(
    context.http,
    type,
    batch.map((write) => ({ id: write.id, properties: write.properties })),
    priority,
  );
  const updated = new Set(result.updated);
  await writes.accepted(
    type,
    batch.filter((write) => updated.has(write.id)),
  );
  await writes.forget(type, result.gone);
  if (result.moved.length > 0) await reReadMoved(context, scope, writes, type, result);
  if (result.gone.length > 0)
    context.logger.info(
      { type, ids: result.gone.length },
      'write-back skipped records HubSpot no longer has',
    );
  return {
    written: updated.size,
    gone: result.gone.length,
    retried: result.retry.length,
    moved: result.moved.length,
  };
}

/**
 * Sends queued values to HubSpot, 100 records per batch update, HUBSPOT_CONCURRENCY batches at a
 * time, under the shared rate budget. Values are recorded as written only once HubSpot accepted
 * them; 207 failures stay queued and are retried alone; records that no longer exist are given up.
 */
export async function writeback(context: JobContext, priority: Priority = 'live'): Promise<WritebackReport> {
  const scope = await portalScope(context);
  const writes = outbox(context.redis, scope.keys);
  const started = context.now();
  const report: Tally = {
    written: 0,
    gone: 0,
    retried: 0,
    calls: 0,
    byType: { contacts: { written: 0, gone: 0 }, deals: { written: 0, gone: 0 } },
  };
  // One writer per portal across processes (the worker's job and `closeloop backfill`), so two
  // never send the same queued values; the holder reschedules itself while work is left. One that
  // died mid-run cannot: a run finding the lease taken comes back (with backoff) until it is free.
  const lock = lease(context.redis, `${scope.keys.base}:writeback:lock`, randomUUID(), RUN_BUDGET_MS * 3);
  if (!(await lock.take()))
    throw new WritebackLeaseHeldError('Another write-back holds the lease', { minDelayMs: 1000 });
  try {
    await writeAll(context, scope, writes, priority, started, report);
  } catch (error) {
    if (!endsRun(error, report)) throw error;
  } finally {
    await lock.release();
  }
  if ((await writes.size('contacts')) + (await writes.size('deals')) > 0)
    await context.schedule('writeback', scope.portal.portalId);
  return report;
}

async function writeAll(
  context: JobContext,
  scope: PortalScope,
  writes: Outbox,
  priority: Priority,
  started: number,
  report: Tally,
): Promise<void> {
  for (const type of ['contacts', 'deals'] as const) {
    const picker = batchPicker(writes, type);
    // A failure stops every lane from taking more; batches already sent are still acknowledged.
    await inLanes(context.config.hubspot.concurrency, async (stopped) => {
      while (!stopped() && context.now() - started < RUN_BUDGET_MS) {
        const batch = await writeOneBatch(context, scope, writes, type, priority, picker, stopped);
        if (!batch) return;
        report.calls++;
        report.written += batch.written;
        report.gone += batch.gone;
        report.retried += batch.retried;
        report.byType[type].written += batch.written;
        report.byType[type].gone += batch.gone;
        // Every input failed (207): back off instead of spinning on them.
        if (batch.written + batch.gone + batch.moved === 0)
          throw new TransientError(`${type} batch update failed for every input`);
      }
    });
  }
}

import { randomUUID } from 'node:crypto';
import { TransientError } from '../src/errors.ts';
import { BATCH_LIMIT, updateBatch } from '../src/hubspot/crm.ts';
import type { Priority } from '../src/hubspot/rate-budget.ts';
import { lease } from '../src/store/lock.ts';
import { type Outbox, outbox, type RecordType } from '../src/store/outbox.ts';
import { type JobContext, portalScope } from './context.ts';

/** How long one run writes before yielding to other jobs (it reschedules itself if work is left). */
export const RUN_BUDGET_MS = 20_000;

export interface WritebackReport {
  readonly written: number;
  readonly gone: number;
  readonly retried: number;
  readonly calls: number;
}

async function writeOneBatch(context: JobContext, writes: Outbox, type: RecordType, priority: Priority) {
  const batch = await writes.next(type, BATCH_LIMIT);
  if (batch.length === 0) return undefined;
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
  if (result.gone.length > 0)
    context.logger.info(
      { type, ids: result.gone.length },
      'write-back skipped records HubSpot no longer has',
    );
  return { written: updated.size, gone: result.gone.length, retried: result.retry.length };
}

/**
 * Sends queued values to HubSpot, 100 records per batch update, under the shared rate budget.
 * Values are recorded as written only once HubSpot accepted them; 207 failures stay queued and
 * are retried alone; records that no longer exist are given up.
 */
export async function writeback(context: JobContext, priority: Priority = 'live'): Promise<WritebackReport> {
  const scope = await portalScope(context);
  const writes = outbox(context.redis, scope.keys);
  const started = context.now();
  const report = { written: 0, gone: 0, retried: 0, calls: 0 };
  // One writer per portal across processes (the worker's job and `closeloop backfill`), so two
  // never send the same queued values; the holder reschedules itself while work is left.
  const lock = lease(context.redis, `${scope.keys.base}:writeback:lock`, randomUUID(), RUN_BUDGET_MS * 3);
  if (!(await lock.take())) return report;
  try {
    await writeAll(context, writes, priority, started, report);
  } finally {
    await lock.release();
  }
  if ((await writes.size('contacts')) + (await writes.size('deals')) > 0)
    await context.schedule('writeback', scope.portal.portalId);
  return report;
}

async function writeAll(
  context: JobContext,
  writes: Outbox,
  priority: Priority,
  started: number,
  report: { written: number; gone: number; retried: number; calls: number },
): Promise<void> {
  for (const type of ['contacts', 'deals'] as const) {
    while (context.now() - started < RUN_BUDGET_MS) {
      const batch = await writeOneBatch(context, writes, type, priority);
      if (!batch) break;
      report.calls++;
      report.written += batch.written;
      report.gone += batch.gone;
      report.retried += batch.retried;
      // Every input failed (207): back off instead of spinning on them.
      if (batch.written + batch.gone === 0)
        throw new TransientError(`${type} batch update failed for every input`);
    }
  }
}

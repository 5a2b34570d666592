import { Queue } from 'bullmq';
import { SingleBar } from 'cli-progress';
import type { Redis } from 'ioredis';
import { type BackfillProgress, backfill } from '../../jobs/backfill.ts';
import { type JobContext, scheduler, wakeQueues } from '../../jobs/context.ts';
import { score } from '../../jobs/score.ts';
import { stats } from '../../jobs/stats.ts';
import { WritebackLeaseHeldError, writeback } from '../../jobs/writeback.ts';
import type { Config } from '../config.ts';
import { DailyLimitError } from '../errors.ts';
import type { HubSpotHttp } from '../hubspot/http.ts';
import type { Logger } from '../logger.ts';
import { backfillJobSchema } from '../queue.ts';
import { backfillState } from '../store/backfill-state.ts';
import { portalKeys } from '../store/keys.ts';
import { loadPortalSettings } from '../store/portal-state.ts';

const PHASE_LABELS: Record<BackfillProgress['phase'], string> = {
  contacts: 'reading contacts',
  deals: 'reading deals',
  associations: 'reading associations',
  figures: 'computing figures',
  swap: 'swapping in',
};

/** A progress bar on a terminal; otherwise one plain line each time a phase completes. */
function reporter(total: number, write: (line: string) => void) {
  const tty = Boolean(process.stderr.isTTY);
  const bar = new SingleBar(
    { format: ' {phase} [{bar}] {value}/{total} | ETA {eta_formatted}', stream: process.stderr },
    undefined,
  );
  let phase = '';
  return {
    update(progress: BackfillProgress) {
      const done = Object.values(progress.counts).reduce((sum, value) => sum + value, 0);
      const steps = Math.max(total * 4, done);
      const label = PHASE_LABELS[progress.phase];
      if (tty) {
        if (!phase) bar.start(steps, done, { phase: label });
        bar.setTotal(steps);
        bar.update(done, { phase: label });
      } else if (label !== phase) {
        const counts = Object.entries(progress.counts)
          .map(([name, count]) => `${count} ${name}`)
          .join(', ');
        write(`backfill: ${label} (${counts})`);
      }
      phase = label;
    },
    stop: () => tty && bar.stop(),
  };
}

/**
 * `closeloop backfill`: rebuilds the projection from HubSpot, then scores every record and writes
 * back what HubSpot does not already show. Safe to interrupt and run again.
 */
export async function runBackfill(
  config: Config,
  redis: Redis,
  http: HubSpotHttp,
  logger: Logger,
  write: (line: string) => void,
): Promise<void> {
  const queues = wakeQueues(redis, config.redis.prefix);
  const context: JobContext = { redis, http, config, logger, now: Date.now, schedule: scheduler(queues) };
  try {
    await backfillAndWrite(context, http, write);
  } catch (error) {
    if (!(error instanceof DailyLimitError)) throw error;
    await handOver(context, error, write);
  } finally {
    await Promise.all(Object.values(queues).map((queue) => queue.close()));
  }
}

/**
 * Out of daily budget: the progress is saved, so the workers take the rest over after the reset
 * (a backfill job that waits for it, and the write-back that runs on live budget).
 */
async function handOver(context: JobContext, error: DailyLimitError, write: (line: string) => void) {
  const portal = await loadPortalSettings(context.redis, context.config.redis.prefix);
  if (!portal) throw error;
  const backfills = new Queue('backfill', { connection: context.redis, prefix: context.config.redis.prefix });
  try {
    const unfinished = await backfillState(
      context.redis,
      portalKeys(context.config.redis.prefix, portal.portalId),
    ).load();
    if (unfinished)
      await backfills.add(
        'backfill',
        backfillJobSchema.parse({ portal: portal.portalId, reason: 'backfill command' }),
        {
          deduplication: { id: `backfill:${portal.portalId}` },
          delay: Math.max(0, error.untilMs - Date.now()),
          attempts: 50,
          backoff: { type: 'closeloop' },
        },
      );
    await context.schedule('writeback', portal.portalId);
  } finally {
    await backfills.close();
  }
  const until = new Date(error.untilMs).toISOString();
  write(`paused: ${error.message}. Progress is saved; \`closeloop work\` resumes it after ${until}.`);
}

async function backfillAndWrite(context: JobContext, http: HubSpotHttp, write: (line: string) => void) {
  const total = await countContacts(http);
  const progress = reporter(total, write);
  const counts = await backfill(context, {
    reason: 'backfill command',
    onProgress: (p) => progress.update(p),
  });
  progress.stop();
  write(`backfill: ${counts.contacts ?? 0} contacts, ${counts.deals ?? 0} deals read`);
  // Statistics first, so the first values written are the lag-aware ones, not naive ones to be rewritten.
  const computed = await stats(context);
  write(`statistics: ${computed.campaigns} campaigns, ${computed.leads} leads`);
  const scored = await score('backfill-command', context);
  write(`score: ${scored.recordsScored} records scored, ${scored.writesQueued} to write`);
  let written = 0;
  for (;;) {
    const report = await writeback(context, 'background').catch((error: unknown) => {
      // The workers are writing: they carry on with what is left.
      if (error instanceof WritebackLeaseHeldError) return undefined;
      throw error;
    });
    if (!report) break;
    written += report.written;
    if (report.calls === 0 || report.written + report.gone === 0) break;
  }
  write(`write-back: ${written} records updated in HubSpot`);
}

async function countContacts(http: HubSpotHttp): Promise<number> {
  const response = await http({
    method: 'POST',
    path: '/crm/v3/objects/contacts/search',
    body: { filterGroups: [], limit: 1, properties: ['hs_object_id'] },
    priority: 'background',
    search: true,
  });
  const total = (response.body as { total?: unknown } | undefined)?.total;
  return typeof total === 'number' ? total : 0;
}

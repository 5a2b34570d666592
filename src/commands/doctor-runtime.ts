import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { backlogVerdict, type Check, failedJobsVerdict, workersVerdict } from '../core/doctor-verdicts.ts';
import { QUEUE_NAMES } from '../queue.ts';
import { portalKeys } from '../store/keys.ts';
import { reconcileState } from '../store/reconcile-state.ts';
import { sweepIntervals } from './reconcile-schedule.ts';

/** Per queue: how long the oldest job has waited and how many failed for good; and whether workers are there. */
export async function queueChecks(redis: Redis, prefix: string, now: () => number): Promise<Check[]> {
  const queues = Object.values(QUEUE_NAMES).map((name) => new Queue(name, { connection: redis, prefix }));
  try {
    const checks: Check[] = [];
    for (const queue of queues) {
      const counts = await queue.getJobCounts('waiting', 'prioritized', 'failed');
      const [oldest] = await queue.getJobs(['waiting'], 0, 0, true);
      const age = oldest ? (now() - oldest.timestamp - (oldest.delay ?? 0)) / 1000 : 0;
      checks.push(
        backlogVerdict(queue.name, (counts.waiting ?? 0) + (counts.prioritized ?? 0), Math.max(0, age)),
      );
      if (counts.failed) checks.push(failedJobsVerdict(queue.name, counts.failed));
    }
    // Every `work` process runs an events worker; CLIENT LIST may be refused on managed Redis.
    const events = queues.find((queue) => queue.name === QUEUE_NAMES.events);
    const workers = await events?.getWorkersCount().catch(() => undefined);
    checks.push(workersVerdict(workers));
    return checks;
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
  }
}

/** The URL HubSpot delivers webhooks to answers, from here, as closeloop. */
export async function publicUrlCheck(publicBaseUrl: string | undefined): Promise<Check> {
  const name = 'public URL';
  if (!publicBaseUrl)
    return {
      section: 'runtime',
      name,
      status: 'fail',
      detail: 'PUBLIC_BASE_URL is not set',
      fix: 'set PUBLIC_BASE_URL',
    };
  const url = `${publicBaseUrl}/healthz`;
  const answer = await fetch(url, { signal: AbortSignal.timeout(5000) }).then(
    async (response) =>
      response.ok && ((await response.json()) as { status?: string }).status === 'ok'
        ? 'ok'
        : `HTTP ${response.status}`,
    (error: unknown) => (error as Error).message,
  );
  if (answer !== 'ok')
    return {
      section: 'runtime',
      name,
      status: 'fail',
      detail: `${url}: ${answer}: HubSpot cannot deliver webhooks`,
      fix: 'check that `closeloop serve` runs and that the load balancer or ingress routes PUBLIC_BASE_URL to it',
    };
  return publicBaseUrl.startsWith('https://')
    ? { section: 'runtime', name, status: 'ok', detail: `${url} answers` }
    : {
        section: 'runtime',
        name,
        status: 'warn',
        detail: `${url} answers, but over plain HTTP`,
        fix: 'serve closeloop over https: HubSpot delivers webhooks to https URLs only',
      };
}

/** Whether the reconcile sweeps run on schedule. */
export async function reconcileChecks(
  redis: Redis,
  config: Config,
  portal: number | undefined,
  now: () => number,
): Promise<Check[]> {
  if (portal === undefined) return [];
  const state = reconcileState(redis, portalKeys(config.redis.prefix, portal));
  const intervals = sweepIntervals(config);
  const checks: Check[] = [];
  for (const sweep of ['recent', 'ids'] as const) {
    if (intervals[sweep] === 0) continue;
    const name = `reconcile (${sweep === 'recent' ? 'recent changes' : 'every id'})`;
    const report = await state.loadReport(sweep);
    const late = !report || now() - report.finishedAt > 3 * intervals[sweep];
    const fixed = report
      ? Object.values(report.fixed).reduce(
          (sum, kinds) => sum + Object.values(kinds).reduce((a, b) => a + b, 0),
          0,
        )
      : 0;
    checks.push(
      late
        ? {
            section: 'runtime',
            name,
            status: 'warn',
            detail: report
              ? `last finished ${new Date(report.finishedAt).toISOString()}`
              : 'no sweep has finished yet',
            fix: 'check that `closeloop work` runs; a first sweep runs one interval after it starts',
          }
        : {
            section: 'runtime',
            name,
            status: 'ok',
            detail: `last finished ${new Date(report.finishedAt).toISOString()}, fixed ${fixed}`,
          },
    );
  }
  return checks;
}

import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { scheduler, wakeQueues } from '../../jobs/context.ts';
import type { ProjectionKeys } from '../../src/store/keys.ts';
import { startPrivateRedis } from '../support/private-redis.ts';
import { startCloseloop } from './closeloop-process.ts';
import { syntheticPortal } from './synthetic-portal.ts';
import { type WrittenProjection, writeSyntheticProjection } from './synthetic-projection.ts';

const PREFIX = 'bench';

export interface MemoryOptions {
  readonly contacts: number;
  readonly deals: number;
  readonly campaigns: number;
  /** Statistics runs, each in a fresh `closeloop work`. */
  readonly repetitions: number;
}

/** One part of the projection: its keys' MEMORY USAGE and how Redis encodes them. */
export interface MemoryPart {
  readonly part: string;
  readonly keys: number;
  readonly entries: number;
  readonly bytes: number;
  readonly encoding: string;
}

export interface WorkerRun {
  /** VmRSS of the idle process before the run, and its peak (VmHWM) by the end of the run, bytes. */
  readonly idleRss: number;
  readonly peakRss: number;
  /** The statistics job as the worker timed it (processedOn → finishedOn), s. */
  readonly jobSeconds: number;
}

export interface MemoryResult {
  readonly usedMemoryDelta: number;
  readonly parts: MemoryPart[];
  readonly listpackEntries: string;
  readonly runs: WorkerRun[];
}

const usedMemory = async (redis: Redis) =>
  Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? Number.NaN);

async function keysMatching(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

/** Keys measured per round trip. */
const PART_BATCH = 500;

async function part(redis: Redis, name: string, keys: readonly string[]): Promise<MemoryPart> {
  let bytes = 0;
  let entries = 0;
  const encodings = new Map<string, number>();
  for (let from = 0; from < keys.length; from += PART_BATCH) {
    const pipeline = redis.pipeline();
    const batch = keys.slice(from, from + PART_BATCH);
    for (const key of batch) pipeline.memory('USAGE', key, 'SAMPLES', '0').type(key).object('ENCODING', key);
    const replies = ((await pipeline.exec()) ?? []).map(([error, reply]) => {
      if (error) throw error;
      return reply;
    });
    const sizes = redis.pipeline();
    batch.forEach((key, index) => {
      bytes += Number(replies[3 * index]);
      const type = String(replies[3 * index + 1]);
      if (type === 'hash') sizes.hlen(key);
      else if (type === 'set') sizes.scard(key);
      else sizes.echo('1');
      const encoding = String(replies[3 * index + 2]);
      encodings.set(encoding, (encodings.get(encoding) ?? 0) + 1);
    });
    for (const [, size] of (await sizes.exec()) ?? []) entries += Number(size);
  }
  const encoding = [...encodings]
    .map(([kind, count]) => (encodings.size > 1 ? `${kind} (${count})` : kind))
    .join(', ');
  return { part: name, keys: keys.length, entries, bytes, encoding };
}

/** The projection's keys by part, measured one by one (SAMPLES 0: every element counted). */
async function parts(redis: Redis, keys: ProjectionKeys): Promise<MemoryPart[]> {
  return [
    await part(redis, 'contacts (bucket hashes)', await keysMatching(redis, `${keys.contacts}:*`)),
    await part(redis, 'lead figures (bucket hashes)', await keysMatching(redis, `${keys.leads}:*`)),
    await part(redis, 'campaign member sets (lead ids)', await keysMatching(redis, `${keys.leadMembers}*`)),
    await part(redis, 'deals (bucket hashes)', await keysMatching(redis, `${keys.deals}:*`)),
    await part(redis, 'deal campaigns (bucket hashes)', await keysMatching(redis, `${keys.dealCampaigns}:*`)),
    await part(redis, 'campaign deal sets (deal ids)', await keysMatching(redis, `${keys.dealMembers}*`)),
    await part(redis, 'campaign totals', [keys.totals]),
    await part(redis, 'name dictionary', [keys.codes, keys.names]),
  ];
}

function status(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1]) * 1024;
}

/**
 * One statistics run in a fresh `closeloop work` (score queue paused, so the rescoring it wakes
 * waits): its peak resident memory and the job's own duration.
 */
async function workerRun(url: string, projection: WrittenProjection): Promise<WorkerRun> {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  const queues = wakeQueues(redis, PREFIX);
  const work = await startCloseloop('work', {
    HUBSPOT_ACCESS_TOKEN: 'bench-access-token',
    HUBSPOT_CLIENT_SECRET: 'bench-client-secret',
    // Never called: the campaign catalog is fresh, and nothing else in a statistics run calls HubSpot.
    HUBSPOT_BASE_URL: 'http://127.0.0.1:9',
    WORK_PORT: '0',
    REDIS_URL: url,
    REDIS_PREFIX: PREFIX,
    RECONCILE_INTERVAL_MINUTES: '0',
    RECONCILE_ID_SWEEP_HOURS: '0',
    LOG_LEVEL: 'info',
  });
  try {
    await queues.score.pause();
    await sleep(1000);
    const idleRss = status(work.pid, 'VmRSS');
    const before = await queues.stats.getJobCounts('completed');
    await scheduler(queues)('stats', projection.settings.portalId);
    while ((await queues.stats.getJobCounts('completed')).completed === before.completed) await sleep(50);
    const peakRss = status(work.pid, 'VmHWM');
    const [job] = await queues.stats.getJobs(['completed'], 0, 0);
    const jobSeconds = ((job?.finishedOn ?? 0) - (job?.processedOn ?? 0)) / 1000;
    return { idleRss, peakRss, jobSeconds };
  } finally {
    await work.stop();
    await Promise.all(Object.values(queues).map((queue: Queue) => queue.close()));
    redis.disconnect();
  }
}

/**
 * Memory: the Redis bytes a synthetic portal's projection takes (used_memory before and after
 * writing it, into a Redis of the benchmark's own with default settings), by part; and the
 * resident memory of a real `closeloop work` while its statistics job rebuilds every campaign.
 */
export async function measureMemory(
  options: MemoryOptions,
  progress: (line: string) => void,
): Promise<MemoryResult> {
  const server = await startPrivateRedis();
  const redis = new Redis(server.url);
  const now = Date.now();
  try {
    const empty = await usedMemory(redis);
    const portal = syntheticPortal({ ...options, now });
    const projection = await writeSyntheticProjection(redis, PREFIX, portal, now);
    const usedMemoryDelta = (await usedMemory(redis)) - empty;
    progress(
      `memory: projection of ${options.contacts} contacts: ${(usedMemoryDelta / 2 ** 20).toFixed(0)} MiB`,
    );
    const measured = await parts(redis, projection.view.keys);
    const listpackEntries = String((await redis.config('GET', 'hash-max-listpack-entries'))[1]);
    const runs: WorkerRun[] = [];
    for (let index = 0; index < options.repetitions; index++) {
      const run = await workerRun(server.url, projection);
      progress(
        `memory: work run ${index + 1}: peak RSS ${(run.peakRss / 2 ** 20).toFixed(0)} MiB, statistics job ${run.jobSeconds.toFixed(1)} s`,
      );
      runs.push(run);
    }
    return { usedMemoryDelta, parts: measured, listpackEntries, runs };
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

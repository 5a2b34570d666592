import { parentPort, workerData } from 'node:worker_threads';
import { Redis } from 'ioredis';
import { campaignRows } from '../../src/http/campaign-json.ts';
import { portalKeys } from '../../src/store/keys.ts';
import { projection } from '../../src/store/projection.ts';
import { reportSource } from '../../src/store/report-source.ts';
import { rebuildStats } from '../../src/store/stats-rebuild.ts';

/**
 * The timed side of the recompute benchmark, in a worker thread: a heap of its own, as a `work`
 * or `serve` process has, instead of the benchmark's (which held the generated portal and the
 * rows loaded into PostgreSQL). Answers each message with the time one rebuild or read took.
 */
export interface TimedWorkerData {
  readonly url: string;
  readonly prefix: string;
  readonly portalId: number;
  readonly now: number;
  readonly horizonDays: number;
}

export type TimedRequest = { readonly kind: 'rebuild'; readonly version: string } | { readonly kind: 'read' };

export interface TimedReply {
  readonly ms: number;
  readonly leads?: number;
  readonly campaigns?: number;
  readonly error?: string;
}

const data = workerData as TimedWorkerData;
const redis = new Redis(data.url);
const view = projection(redis, portalKeys(data.prefix, data.portalId).projection(1));

/** What `GET /api/campaigns` does: the report source of every lead, the rows, their JSON. */
async function readAsApi(): Promise<void> {
  const source = await reportSource(redis, data.prefix, {}, data.now, data.horizonDays);
  if (!source) throw new Error('no figures to read');
  JSON.stringify(campaignRows(source, {}, data.horizonDays));
}

async function answer(request: TimedRequest): Promise<TimedReply> {
  const started = performance.now();
  if (request.kind === 'read') {
    await readAsApi();
    return { ms: performance.now() - started };
  }
  const rebuilt = await rebuildStats(redis, view, data.now, data.horizonDays, request.version);
  return { ms: performance.now() - started, leads: rebuilt.leads, campaigns: rebuilt.campaigns };
}

parentPort?.on('message', (request: TimedRequest | 'close') => {
  if (request === 'close') {
    redis.disconnect();
    parentPort?.close();
    return;
  }
  answer(request).then(
    (reply) => parentPort?.postMessage(reply),
    (error: unknown) => parentPort?.postMessage({ ms: 0, error: String(error) }),
  );
});

import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { startPrivateRedis } from '../support/private-redis.ts';
import {
  compareTotals,
  type PostgresBaseline,
  postgresBaseline,
  type SqlTotals,
  type TotalsCheck,
} from './recompute-postgres.ts';
import { describeProfile, type RedisProfile, readProfile, resetProfile } from './redis-profile.ts';
import { syntheticPortal } from './synthetic-portal.ts';
import { writeSyntheticProjection } from './synthetic-projection.ts';
import { startTimedWorker, type TimedWorker } from './timed-worker.ts';
import { median } from './work-scaling-report.ts';

const PREFIX = 'bench';

export interface RecomputeOptions {
  readonly contacts: number;
  readonly deals: number;
  readonly campaigns: number;
  readonly repetitions: number;
  /** API reads per repetition (their median is the repetition's read time). */
  readonly reads: number;
  readonly horizonDays: number;
}

export interface RecomputeResult {
  readonly generateSeconds: number;
  readonly writeSeconds: number;
  readonly leads: number;
  readonly campaigns: number;
  readonly postgres: { loadSeconds: number; rows: { contacts: number; deals: number; associations: number } };
  /** Per repetition: the statistics job's rebuild (s), the API read (ms), PostgreSQL's GROUP BY (s). */
  readonly rebuildSeconds: number[];
  readonly readMs: number[];
  readonly sqlSeconds: number[];
  /** Redis during the last rebuild and during one API read. */
  readonly rebuildRedis: string;
  readonly rebuildSlowest: RedisProfile['slow'][number] | undefined;
  readonly readRedis: string;
  readonly check: TotalsCheck;
  /** The machine's 1-minute load average when the timed runs began (other work shows in the numbers). */
  readonly loadAverage: number;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

async function prepare(redis: Redis, options: RecomputeOptions, now: number) {
  const generated = await timed(async () =>
    syntheticPortal({
      contacts: options.contacts,
      deals: options.deals,
      campaigns: options.campaigns,
      now,
    }),
  );
  const written = await timed(() => writeSyntheticProjection(redis, PREFIX, generated.value, now));
  return { generateSeconds: generated.ms / 1000, writeSeconds: written.ms / 1000, projection: written.value };
}

async function repetition(redis: Redis, worker: TimedWorker, options: RecomputeOptions, index: number) {
  await resetProfile(redis);
  const rebuild = await worker.rebuild(`bench-${index}`);
  const rebuildProfile = await readProfile(redis);
  const reads: number[] = [];
  for (let read = 0; read < options.reads; read++) {
    if (read === options.reads - 1) await resetProfile(redis);
    reads.push(await worker.read());
  }
  const readProfileOnce = await readProfile(redis);
  return { rebuild, rebuildProfile, readMs: median(reads), readProfile: readProfileOnce };
}

/** The interleaved runs: after one uncounted warm-up, each repetition rebuilds, reads, and queries PostgreSQL. */
async function timedRuns(
  redis: Redis,
  worker: TimedWorker,
  postgres: PostgresBaseline,
  options: RecomputeOptions,
  progress: (line: string) => void,
) {
  const runs: Awaited<ReturnType<typeof repetition>>[] = [];
  const sql: { ms: number; value: SqlTotals[] }[] = [];
  for (let index = 0; index <= options.repetitions; index++) {
    const run = await repetition(redis, worker, options, index);
    const query = await timed(() => postgres.naiveTotals());
    progress(
      `recompute: ${index === 0 ? 'warm-up' : `run ${index}`}: rebuild ${(run.rebuild.ms / 1000).toFixed(2)} s, read ${run.readMs.toFixed(1)} ms, PostgreSQL ${(query.ms / 1000).toFixed(2)} s`,
    );
    if (index === 0) continue;
    runs.push(run);
    sql.push(query);
  }
  return { runs, sql };
}

/**
 * Recompute: a synthetic portal written into a Redis of the benchmark's own through closeloop's
 * store, then, interleaved and after one uncounted warm-up of each: the statistics job's rebuild
 * of every campaign's figures and the API's read of them (both in a worker thread with a heap of
 * its own), and PostgreSQL's GROUP BY of the naive figures over the same rows. The naive figures
 * must agree.
 */
export async function measureRecompute(
  options: RecomputeOptions,
  progress: (line: string) => void,
): Promise<RecomputeResult> {
  const server = await startPrivateRedis();
  const redis = new Redis(server.url);
  const now = Date.now();
  try {
    const prepared = await prepare(redis, options, now);
    progress(
      `recompute: ${options.contacts} contacts, ${options.deals} deals generated in ${prepared.generateSeconds.toFixed(1)} s, written in ${prepared.writeSeconds.toFixed(1)} s`,
    );
    const { view, settings } = prepared.projection;
    const postgres = await postgresBaseline(view, settings.stageOrder);
    const worker = startTimedWorker({
      url: server.url,
      prefix: PREFIX,
      portalId: settings.portalId,
      now,
      horizonDays: options.horizonDays,
    });
    try {
      progress(`recompute: PostgreSQL loaded in ${postgres.loadSeconds.toFixed(1)} s`);
      const loadAverage = loadavg()[0] ?? 0;
      const { runs, sql } = await timedRuns(redis, worker, postgres, options, progress);
      const last = runs.at(-1);
      if (!last) throw new Error('no repetition ran');
      return {
        generateSeconds: prepared.generateSeconds,
        writeSeconds: prepared.writeSeconds,
        leads: last.rebuild.leads ?? 0,
        campaigns: last.rebuild.campaigns ?? 0,
        postgres: { loadSeconds: postgres.loadSeconds, rows: postgres.rows },
        rebuildSeconds: runs.map((run) => run.rebuild.ms / 1000),
        readMs: runs.map((run) => run.readMs),
        sqlSeconds: sql.map((query) => query.ms / 1000),
        rebuildRedis: describeProfile(last.rebuildProfile),
        rebuildSlowest: last.rebuildProfile.slow[0],
        readRedis: describeProfile(last.readProfile, 8),
        check: compareTotals(await view.totals(), sql.at(-1)?.value ?? []),
        loadAverage,
      };
    } finally {
      await worker.close();
      await postgres.close();
    }
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

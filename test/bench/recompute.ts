import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { campaignRows } from '../../src/http/campaign-json.ts';
import { reportSource } from '../../src/store/report-source.ts';
import { rebuildStats } from '../../src/store/stats-rebuild.ts';
import { startPrivateRedis } from '../support/private-redis.ts';
import { compareTotals, postgresBaseline, type TotalsCheck } from './recompute-postgres.ts';
import { describeProfile, type RedisProfile, readProfile, resetProfile } from './redis-profile.ts';
import { syntheticPortal } from './synthetic-portal.ts';
import { type WrittenProjection, writeSyntheticProjection } from './synthetic-projection.ts';
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

/** What `GET /api/campaigns` does: the report source of every lead, the rows, their JSON. */
async function readAsApi(redis: Redis, now: number, horizonDays: number): Promise<number> {
  const source = await reportSource(redis, PREFIX, {}, now, horizonDays);
  if (!source) throw new Error('no figures to read');
  return JSON.stringify(campaignRows(source, {}, horizonDays)).length;
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

async function repetition(
  redis: Redis,
  projection: WrittenProjection,
  options: RecomputeOptions,
  now: number,
) {
  await resetProfile(redis);
  const rebuild = await timed(() =>
    rebuildStats(redis, projection.view, now, options.horizonDays, `bench-${now}`),
  );
  const rebuildProfile = await readProfile(redis);
  const reads: number[] = [];
  for (let index = 0; index < options.reads; index++) {
    if (index === options.reads - 1) await resetProfile(redis);
    reads.push((await timed(() => readAsApi(redis, now, options.horizonDays))).ms);
  }
  const readProfileOnce = await readProfile(redis);
  return { rebuild, rebuildProfile, readMs: median(reads), readProfile: readProfileOnce };
}

/**
 * Recompute: a synthetic portal written into a Redis of the benchmark's own through closeloop's
 * store, then, interleaved and after one uncounted warm-up of each: the statistics job's rebuild
 * of every campaign's figures, the API's read of them, and PostgreSQL's GROUP BY of the naive
 * figures over the same rows. The naive figures must agree.
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
    const keys = prepared.projection.view.keys;
    const postgres = await postgresBaseline(redis, keys, prepared.projection.settings.stageOrder);
    try {
      progress(`recompute: PostgreSQL loaded in ${postgres.loadSeconds.toFixed(1)} s`);
      const loadAverage = loadavg()[0] ?? 0;
      const runs = [];
      const sql = [];
      for (let index = 0; index <= options.repetitions; index++) {
        const run = await repetition(redis, prepared.projection, options, now);
        const query = await timed(() => postgres.naiveTotals());
        progress(
          `recompute: ${index === 0 ? 'warm-up' : `run ${index}`}: rebuild ${(run.rebuild.ms / 1000).toFixed(2)} s, read ${run.readMs.toFixed(1)} ms, PostgreSQL ${(query.ms / 1000).toFixed(2)} s`,
        );
        if (index === 0) continue;
        runs.push(run);
        sql.push(query);
      }
      const last = runs.at(-1) ?? (await repetition(redis, prepared.projection, options, now));
      const check = compareTotals(await prepared.projection.view.totals(), sql.at(-1)?.value ?? []);
      return {
        generateSeconds: prepared.generateSeconds,
        writeSeconds: prepared.writeSeconds,
        leads: last.rebuild.value.leads,
        campaigns: last.rebuild.value.campaigns,
        postgres: { loadSeconds: postgres.loadSeconds, rows: postgres.rows },
        rebuildSeconds: runs.map((run) => run.rebuild.ms / 1000),
        readMs: runs.map((run) => run.readMs),
        sqlSeconds: sql.map((query) => query.ms / 1000),
        rebuildRedis: describeProfile(last.rebuildProfile),
        rebuildSlowest: last.rebuildProfile.slow[0],
        readRedis: describeProfile(last.readProfile, 8),
        check,
        loadAverage,
      };
    } finally {
      await postgres.close();
    }
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

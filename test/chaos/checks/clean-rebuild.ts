import { Redis } from 'ioredis';
import { spawnCli, waitUntilReady } from '../../support/cli-process.ts';
import { freePort, startPrivateRedis } from '../../support/private-redis.ts';
import { type ChaosStack, DASHBOARD_TOKEN, PREFIX } from '../harness/chaos-stack.ts';
import { runCli } from '../harness/cli-run.ts';
import { describeDiff, diffProjections, diffSize, projectionSnapshot } from './projection-snapshot.ts';
import { closeloopValues, differingValues } from './sandbox-values.ts';

export interface CleanRebuildReport {
  /** Records whose `closeloop_*` values (all but scored_at) the clean run wrote differently. */
  readonly values: string[];
  /** Campaigns whose /api/campaigns row differs. */
  readonly campaigns: string[];
  /** Projection entries (records, lead figures, campaign totals) that differ. */
  readonly projection: number;
  /** What differs, for a failure message. */
  readonly detail: string;
}

async function campaignsOf(url: string): Promise<Map<string, unknown>> {
  const response = await fetch(`${url}/api/campaigns`, {
    headers: { authorization: `Bearer ${DASHBOARD_TOKEN}` },
  });
  if (!response.ok) throw new Error(`${url}/api/campaigns → ${response.status}`);
  const rows = (await response.json()) as Array<{ campaign: string }>;
  return new Map(rows.map((row) => [row.campaign, row]));
}

/** The clean closeloop's table, from its own `serve` (stopped again at once). */
async function cleanCampaigns(env: Record<string, string>): Promise<Map<string, unknown>> {
  const port = await freePort();
  const serve = spawnCli('serve', { ...env, PORT: String(port) });
  try {
    await waitUntilReady(`http://127.0.0.1:${port}/readyz`, serve);
    return await campaignsOf(`http://127.0.0.1:${port}`);
  } finally {
    await serve.kill();
  }
}

/**
 * Equal, numbers up to floating-point summation order: the two closeloops read their leads from
 * different Redis hashes, whose iteration orders differ, so a statistic may differ in its last bit.
 */
function sameFigures(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number')
    return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a));
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].every((key) => key in left && key in right && sameFigures(left[key], right[key]));
}

/** `field: chaos ≠ clean` for each top-level field of a campaign row that differs. */
function fieldDiff(name: string, a: unknown, b: unknown): string {
  const left = (a ?? {}) as Record<string, unknown>;
  const right = (b ?? {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(left), ...Object.keys(right)])].filter(
    (field) => !sameFigures(left[field], right[field]),
  );
  const shown = fields.map(
    (field) => `${field}: ${JSON.stringify(left[field])} ≠ clean ${JSON.stringify(right[field])}`,
  );
  return `campaign ${name}: ${shown.join('; ')}`;
}

function differingCampaigns(a: Map<string, unknown>, b: Map<string, unknown>): string[] {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((name) => !sameFigures(a.get(name), b.get(name))).sort();
}

/**
 * A fresh closeloop with its own Redis runs `setup` and `backfill` over the final portal: every
 * record must then show exactly what the scenario's closeloop wrote (its write-back rewrites them
 * all, since it remembers no earlier write), `/api/campaigns` must be identical, and so must the
 * projections. The scenario's `serve` must still run; its `work` should be stopped.
 */
export async function cleanRebuild(stack: ChaosStack): Promise<CleanRebuildReport> {
  const chaosCampaigns = await campaignsOf(stack.serveUrl);
  const chaosValues = await closeloopValues(stack.client);
  const watcher = new Redis(stack.redis.url, { maxRetriesPerRequest: 1 });
  const chaosProjection = await projectionSnapshot(watcher, PREFIX, stack.portalId).finally(() =>
    watcher.disconnect(),
  );
  const redis = await startPrivateRedis();
  try {
    const env = { ...stack.env, REDIS_URL: redis.url, REDIS_PREFIX: 'clean' };
    await runCli(['setup'], env);
    await runCli(['backfill'], env);
    const clean = await cleanCampaigns(env);
    const campaigns = differingCampaigns(chaosCampaigns, clean);
    const cleanValues = await closeloopValues(stack.client);
    const values = differingValues(chaosValues, cleanValues);
    const reader = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    const cleanProjection = await projectionSnapshot(reader, 'clean', stack.portalId).finally(() =>
      reader.disconnect(),
    );
    const diff = diffProjections(chaosProjection, cleanProjection);
    const detail = [
      ...values.slice(0, 5).map((key) => `${key}: ${chaosValues.get(key)} ≠ clean ${cleanValues.get(key)}`),
      ...campaigns.slice(0, 3).map((name) => fieldDiff(name, chaosCampaigns.get(name), clean.get(name))),
      describeDiff(diff, chaosProjection, cleanProjection),
    ].join('\n');
    return { values, campaigns, projection: diffSize(diff), detail };
  } finally {
    await redis.stop();
  }
}

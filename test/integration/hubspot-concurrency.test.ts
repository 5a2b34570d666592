import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobContext } from '../../jobs/context.ts';
import { writeback } from '../../jobs/writeback.ts';
import { setup } from '../../src/commands/setup.ts';
import { loadConfig } from '../../src/config.ts';
import { RateLimitedError } from '../../src/errors.ts';
import { readObjects } from '../../src/hubspot/crm.ts';
import { createHubSpotHttp, type HubSpotHttp } from '../../src/hubspot/http.ts';
import { createRateBudget } from '../../src/hubspot/rate-budget.ts';
import { createLogger } from '../../src/logger.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { portalKeys } from '../../src/store/keys.ts';
import { outbox } from '../../src/store/outbox.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';
import { busiestWindow, type SandboxCall, sandboxCalls } from '../support/sandbox-calls.ts';

/**
 * Several HubSpot calls in flight per run, against the sandbox with HubSpot's latency: the shared
 * rate budget still bounds every window, and a 429 still stops every process. The window is 2 s
 * here (the sandbox's and the budget's alike), so a test sees several in seconds, not minutes.
 */
const TOKEN = 'concurrency-access-token';
const WINDOW_MS = 2000;
const BUDGET = 12;
/**
 * HubSpot's limit above closeloop's budget, as 80 % of HUBSPOT_REQUESTS_PER_10S leaves 38 calls of
 * headroom at 190: the budget counts a call when it takes its slot, HubSpot when it arrives, so
 * calls sent together can land a few milliseconds inside the next window.
 */
const HUBSPOT_LIMIT = 20;
const LATENCY_MS = 150;
const prefix = uniquePrefix(import.meta.filename);
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
let sandbox: RunningSandbox;
let portal: number;

/** One process's HubSpot connection: its own budget object on the shared Redis keys. */
function processHttp(): HubSpotHttp {
  const budget = (limit: number, windowMs: number, name: string) =>
    createRateBudget({ redis, prefix: `${prefix}:${name}`, limit, windowMs, liveReserve: 0.25 });
  return createHubSpotHttp({
    accessToken: TOKEN,
    baseUrl: sandbox.url,
    budget: budget(BUDGET, WINDOW_MS, 'api'),
    searchBudget: budget(4, 1000, 'search'),
    dailyResetAt: () => Date.now() + 86_400_000,
  });
}

async function configure(body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox/config`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

const ids = (count: number) => Array.from({ length: count }, (_, i) => String(1001 + i));

/** Calls that reached the sandbox from `from` on, oldest first. */
async function callsSince(from: number): Promise<SandboxCall[]> {
  return (await sandboxCalls(sandbox.url)).filter((call) => call.at >= from).sort((a, b) => a.at - b.at);
}

/**
 * The budget counts a call when it takes its slot, HubSpot when the call arrives: the arrivals
 * of calls sent at once spread over a few milliseconds (more on a busy machine), so windows of
 * arrivals are checked a little shorter than the budget's.
 */
const withinBudget = (calls: readonly SandboxCall[]) =>
  busiestWindow(
    calls.map((call) => call.at),
    WINDOW_MS - 100,
  ) <= BUDGET;

/** The most calls that arrived within `spanMs` of one another: how many were made at once. */
function mostAtOnce(calls: readonly SandboxCall[], spanMs: number): number {
  return busiestWindow(
    calls.map((call) => call.at),
    spanMs,
  );
}

beforeAll(async () => {
  sandbox = await startSandbox({ accessToken: TOKEN, requestsPer10s: 0, webhooks: false });
  const contacts = ids(3000).map((id) => ({ id, properties: { email: `c${id}@example.com` } }));
  const seeded = await fetch(`${sandbox.url}/__sandbox/seed`, {
    method: 'POST',
    body: JSON.stringify({ contacts }),
  });
  expect(seeded.status).toBe(200);
  portal = (await setup(processHttp(), redis, prefix)).portal.portalId;
  await configure({
    requestsPer10s: HUBSPOT_LIMIT,
    windowMs: WINDOW_MS,
    faults: ['slow'],
    failRate: 1,
    slowMs: LATENCY_MS,
  });
});

afterAll(async () => {
  await sandbox.close();
  redis.disconnect();
  await deleteKeys(TEST_REDIS_URL, prefix);
});

describe('concurrent HubSpot calls under the shared budget', () => {
  it('reads with several calls in flight, never more per window than the budget, and no 429', async () => {
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const from = sandbox.clock.now();
    const started = performance.now();
    const result = await readObjects(processHttp(), 'contacts', ids(3000), ['email'], 'live', 4);
    const calls = await callsSince(from);

    expect(result.objects).toHaveLength(3000);
    expect(calls).toHaveLength(30);
    expect(calls.every((call) => call.status === 200)).toBe(true);
    expect(mostAtOnce(calls, 50)).toBe(4);
    expect(withinBudget(calls)).toBe(true);
    // 30 calls at 12 per 2 s need at least two more windows after the first.
    expect(performance.now() - started).toBeGreaterThan(2 * WINDOW_MS);
  });

  it('writes queued values in concurrent batches, each record once, within the budget', async () => {
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const config = loadConfig({
      HUBSPOT_ACCESS_TOKEN: TOKEN,
      REDIS_PREFIX: prefix,
      HUBSPOT_CONCURRENCY: '3',
    });
    const writes = outbox(redis, portalKeys(prefix, portal));
    const values = (id: string) => ({
      closeloop_campaign: 'webinar',
      closeloop_lead_score: String(Number(id) % 100),
      closeloop_lead_grade: 'B',
      closeloop_campaign_close_rate: '12',
      closeloop_score_reason: 'Leads from webinar close at about 12 %.',
    });
    const wanted = ids(1150);
    await writes.stage('contacts', new Map(wanted.map((id) => [id, values(id)])), Date.now());
    const context: JobContext = {
      redis,
      http: processHttp(),
      config,
      logger: createLogger({ level: 'silent' }),
      now: Date.now,
      schedule: async () => undefined,
    };
    const from = sandbox.clock.now();

    const report = await writeback(context);
    const calls = await callsSince(from);

    expect(report).toMatchObject({ written: 1150, calls: 12, retried: 0 });
    expect(await writes.size('contacts')).toBe(0);
    expect(calls.filter((call) => call.call.endsWith('/batch/update'))).toHaveLength(12);
    expect(mostAtOnce(calls, 50)).toBe(3);
    expect(withinBudget(calls)).toBe(true);
    expect(calls.every((call) => call.status === 200)).toBe(true);
    const shown = await readObjects(processHttp(), 'contacts', wanted, ['closeloop_lead_score'], 'live', 4);
    expect(
      shown.objects.every(
        (object) => object.properties.closeloop_lead_score === values(object.id).closeloop_lead_score,
      ),
    ).toBe(true);
  });

  it('after a 429 in one process, no process calls again until the pause is over', async () => {
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    // HubSpot now allows fewer calls than closeloop's budget: the fourth call at once is refused.
    await configure({ requestsPer10s: 3 });
    const from = sandbox.clock.now();
    const [first, second] = [processHttp(), processHttp()];

    await expect(readObjects(first, 'contacts', ids(800), ['email'], 'live', 4)).rejects.toBeInstanceOf(
      RateLimitedError,
    );
    const afterRefusal = await readObjects(second, 'contacts', ids(100), ['email'], 'live', 4);
    const calls = await callsSince(from);
    await configure({ requestsPer10s: HUBSPOT_LIMIT });

    expect(afterRefusal.objects).toHaveLength(100);
    const refused = calls.filter((call) => call.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    const firstRefusal = refused[0]?.at ?? 0;
    // Calls already on their way when HubSpot refused one arrive with it; nothing is sent after
    // it until the pause HubSpot asked for (its 2 s interval) is over, by either process.
    const later = calls.filter((call) => call.at > firstRefusal + 20);
    expect(later).toHaveLength(1);
    expect(later[0]?.at).toBeGreaterThanOrEqual(firstRefusal + WINDOW_MS - 50);
    // The refused run stopped: at most one call per lane, none started after the refusal.
    expect(calls.length - later.length).toBeLessThanOrEqual(4);
  });
});

import { type Job, Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWorkers, type Workers } from '../../jobs/worker.ts';
import { runBackfill } from '../../src/commands/backfill-command.ts';
import { setup } from '../../src/commands/setup.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { nextMidnight } from '../../src/core/time-zone.ts';
import { connectHubSpot } from '../../src/hubspot/connect.ts';
import { backgroundPausedUntil, createDailyBudget, reserveCalls } from '../../src/hubspot/daily-budget.ts';
import { createHubSpotHttp } from '../../src/hubspot/http.ts';
import { createRateBudget } from '../../src/hubspot/rate-budget.ts';
import { createLogger } from '../../src/logger.ts';
import { connectRedis, waitForRedis } from '../../src/redis.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { type RunningServer, startServer } from '../../src/serve.ts';
import { backfillState } from '../../src/store/backfill-state.ts';
import { portalKeys } from '../../src/store/keys.ts';
import { projection } from '../../src/store/projection.ts';
import { freePort } from '../support/private-redis.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';

const TOKEN = 'daily-budget-token-61aa';
const SECRET = 'daily-budget-secret-0b3e';
const ZONE = 'America/New_York';
const CONTACTS = 4000;
/** Calls the account has left for the day when the backfill starts (the reserve is 10 % of the day's limit). */
const LEFT_TODAY = 40;
/** How long until midnight, for closeloop and the sandbox alike: the backfill must pause before. */
const UNTIL_MIDNIGHT_MS = 12_000;
const logger = createLogger({ level: 'silent' });

function portal() {
  return {
    contacts: Array.from({ length: CONTACTS }, (_, i) => ({
      id: String(i + 1),
      properties: {
        email: `day${i + 1}@example.com`,
        createdate: '2026-05-01T09:00:00.000Z',
        lifecyclestage: 'lead',
        hs_analytics_source: 'PAID_SEARCH',
        hs_analytics_source_data_1: i % 2 === 0 ? 'webinar' : 'ads',
      },
    })),
  };
}

/**
 * A backfill (background work) meets the day's reserve: it stops before the budget runs out,
 * live sync goes on meanwhile, and at midnight in the account's time zone it resumes where it
 * stopped and finishes.
 */
describe('the daily API budget', () => {
  const prefix = uniquePrefix(import.meta.filename);
  let sandbox: RunningSandbox;
  let server: RunningServer;
  let workers: Workers;
  let config: Config;
  let portalId: number;
  let resetAt = 0;
  const connection = connectRedis(TEST_REDIS_URL, 'worker');
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${sandbox.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const listCalls = () => sandbox.stats().calls['GET /crm/v3/objects/contacts']?.['200'] ?? 0;

  beforeAll(async () => {
    const port = await freePort();
    sandbox = await startSandbox({
      accessToken: TOKEN,
      clientSecret: SECRET,
      webhookUrl: `http://127.0.0.1:${port}/webhooks/hubspot`,
      requestsPer10s: 0,
      timeZone: ZONE,
      webhookBatchMs: 20,
    });
    config = loadConfig({
      HUBSPOT_ACCESS_TOKEN: TOKEN,
      HUBSPOT_CLIENT_SECRET: SECRET,
      HUBSPOT_BASE_URL: sandbox.url,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      PORT: String(port),
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      HUBSPOT_REQUESTS_PER_10S: '2000',
      HUBSPOT_DAILY_RESERVE_PERCENT: '10',
    });
    server = await startServer(config, logger);
    await waitForRedis(connection, 5000);
    await api('POST', '/__sandbox/seed', portal());
    portalId = (
      await setup(
        connectHubSpot(config, connection, () => ZONE),
        connection,
        prefix,
      )
    ).portal.portalId;

    // The account's day: LEFT_TODAY calls left, ending UNTIL_MIDNIGHT_MS from now in HubSpot and
    // here alike (the sandbox a moment earlier, so closeloop never resumes into yesterday's count).
    const probe = await api('GET', '/crm/v3/objects/contacts?limit=1');
    const used = 250_000 - Number(probe.headers.get('x-hubspot-ratelimit-daily-remaining'));
    await api('POST', '/__sandbox/config', { dailyLimit: used + LEFT_TODAY });
    resetAt = Date.now() + UNTIL_MIDNIGHT_MS;
    const sandboxNow = sandbox.clock.now();
    await api('POST', '/__sandbox/clock', {
      now: nextMidnight(sandboxNow, ZONE) - UNTIL_MIDNIGHT_MS + 500,
    });
    const budget = (name: string, limit: number, windowMs: number) =>
      createRateBudget({
        redis: connection,
        prefix: name,
        limit,
        windowMs,
        liveReserve: 0.25,
        dailyPrefix: prefix,
      });
    const http = createHubSpotHttp({
      accessToken: TOKEN,
      baseUrl: sandbox.url,
      budget: budget(prefix, 1600, 10_000),
      searchBudget: budget(`${prefix}:search`, 4, 1000),
      // Midnight in the account's time zone, as connectHubSpot computes it, brought near.
      dailyResetAt: () => (Date.now() < resetAt ? resetAt : resetAt + 86_400_000),
      daily: createDailyBudget({ redis: connection, prefix, reservePercent: 10 }),
    });
    workers = startWorkers(config, connection, http, logger);
  }, 120_000);

  afterAll(async () => {
    await workers?.close();
    await server?.close();
    await sandbox?.close();
    connection.disconnect();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  let job: Job;
  let listedAtPause = 0;

  it('pauses the backfill at the reserve, with calls still left, until midnight', async () => {
    job = await workers.queues.backfill.add('backfill', { portal: portalId, reason: 'test' });
    await vi.waitFor(async () => expect(await job.getState()).toBe('delayed'), {
      timeout: 10_000,
      interval: 50,
    });
    listedAtPause = listCalls();
    const state = await backfillState(connection, portalKeys(prefix, portalId)).load();
    expect(state?.phase).toBe('contacts');
    expect(state?.counts.contacts).toBeLessThan(CONTACTS);
    expect(await backgroundPausedUntil(connection, prefix)).toBe(resetAt);
    const [limit, remaining] = (await connection.hmget(`${prefix}:budget:daily`, 'limit', 'remaining')).map(
      Number,
    );
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(reserveCalls(limit as number, 10));
    // Waiting for the budget is not a failure: no attempt was spent.
    expect((await workers.queues.backfill.getJob(String(job.id)))?.attemptsMade).toBe(0);
    expect(sandbox.stats().calls['GET /crm/v3/objects/contacts']?.['429']).toBeUndefined();
  });

  it('keeps live work going meanwhile: a change in HubSpot still reaches the projection', async () => {
    const response = await api('PATCH', '/crm/v3/objects/contacts/7', {
      properties: { lifecyclestage: 'opportunity' },
    });
    expect(response.status).toBe(200);
    const live = async () => {
      const generation = Number((await connection.get(portalKeys(prefix, portalId).generation)) ?? '1');
      const store = projection(connection, portalKeys(prefix, portalId).projection(generation));
      return (await store.contacts(['7'])).get('7')?.stage;
    };
    await vi.waitFor(async () => expect(await live()).toBe('opportunity'), {
      timeout: 10_000,
      interval: 100,
    });
    expect(Date.now()).toBeLessThan(resetAt);
    expect(listCalls()).toBe(listedAtPause);
  });

  it('resumes after midnight where it stopped, and finishes', async () => {
    const events = new QueueEvents('backfill', { connection: connection.duplicate(), prefix });
    try {
      await job.waitUntilFinished(events, UNTIL_MIDNIGHT_MS + 30_000);
    } finally {
      await events.close();
    }
    const queue = new Queue('backfill', { connection, prefix });
    expect(await (await queue.getJob(String(job.id)))?.getState()).toBe('completed');
    await queue.close();
    // Every page listed once: the pause repeated none.
    expect(listCalls()).toBe(CONTACTS / 100 + 1);
    const keys = portalKeys(prefix, portalId);
    const generation = Number(await connection.get(keys.generation));
    let stored = 0;
    for await (const slice of projection(connection, keys.projection(generation)).scanContacts())
      stored += slice.length;
    expect(stored).toBe(CONTACTS);
    expect(await backgroundPausedUntil(connection, prefix)).toBeUndefined();
  }, 60_000);
});

describe('closeloop backfill out of daily budget', () => {
  const prefix = uniquePrefix(`${import.meta.filename}-command`);
  let sandbox: RunningSandbox;
  const connection = connectRedis(TEST_REDIS_URL, 'cli');

  afterAll(async () => {
    await sandbox?.close();
    connection.disconnect();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  it('stops at the reserve, says when it resumes, and leaves the rest to the workers', async () => {
    sandbox = await startSandbox({
      accessToken: TOKEN,
      clientSecret: SECRET,
      requestsPer10s: 0,
      timeZone: ZONE,
    });
    const config = loadConfig({
      HUBSPOT_ACCESS_TOKEN: TOKEN,
      HUBSPOT_BASE_URL: sandbox.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      HUBSPOT_REQUESTS_PER_10S: '2000',
    });
    await waitForRedis(connection, 5000);
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${sandbox.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    await call('POST', '/__sandbox/seed', { contacts: portal().contacts.slice(0, 1500) });
    const http = connectHubSpot(config, connection, () => ZONE);
    const { portal: account } = await setup(http, connection, prefix);
    const probe = await call('GET', '/crm/v3/objects/contacts?limit=1');
    const used = 250_000 - Number(probe.headers.get('x-hubspot-ratelimit-daily-remaining'));
    await call('POST', '/__sandbox/config', { dailyLimit: used + 12 });

    const lines: string[] = [];
    await runBackfill(config, connection, http, logger, (line) => lines.push(line));

    expect(lines.at(-1)).toMatch(
      /^paused: HubSpot daily API reserve reached; paused until .*Progress is saved; `closeloop work` resumes it after /,
    );
    const waiting = new Queue('backfill', { connection, prefix });
    try {
      const [handedOver] = await waiting.getJobs(['delayed']);
      expect(handedOver?.data).toEqual({ portal: account.portalId, reason: 'backfill command' });
      const midnight = nextMidnight(Date.now(), ZONE);
      expect(Math.abs((handedOver?.timestamp ?? 0) + (handedOver?.delay ?? 0) - midnight)).toBeLessThan(5000);
    } finally {
      await waiting.close();
    }
    expect((await backfillState(connection, portalKeys(prefix, account.portalId)).load())?.phase).toBe(
      'contacts',
    );
  }, 60_000);
});

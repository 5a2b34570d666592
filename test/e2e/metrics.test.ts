import { readFile } from 'node:fs/promises';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { waitUntilSettled } from '../../src/commands/settled.ts';
import { setup } from '../../src/commands/setup.ts';
import { type RunningWork, startWork } from '../../src/commands/work.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { connectHubSpot } from '../../src/hubspot/connect.ts';
import type { HubSpotHttp } from '../../src/hubspot/http.ts';
import { createLogger } from '../../src/logger.ts';
import { backfillJobSchema, QUEUE_NAMES } from '../../src/queue.ts';
import { connectRedis, waitForRedis } from '../../src/redis.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { type RunningServer, startServer } from '../../src/serve.ts';
import { freePort } from '../support/private-redis.ts';
import { type Exposition, samplesOf, scrape, sumOf } from '../support/prometheus-text.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';
import { sandboxCalls } from '../support/sandbox-calls.ts';

const ACCESS_TOKEN = 'metrics-access-token-2c9d';
const CLIENT_SECRET = 'metrics-client-secret-81fe';
const DASHBOARD_TOKEN = 'metrics-dashboard-token-6b0a';
const CAMPAIGN_GUID = '3f2b8c1e-5a47-4d9e-9b61-0c7e2a4d8f15';

/** Ten webinar leads, one won and one open deal; the webinar is also a HubSpot campaign with spend. */
function portal() {
  const contact = (id: number) => ({
    id: String(id),
    properties: {
      email: `lead${id}@example.com`,
      createdate: '2026-05-01T09:00:00.000Z',
      lifecyclestage: 'lead',
      hs_analytics_source: 'PAID_SEARCH',
      hs_analytics_source_data_1: 'webinar',
    },
  });
  const deal = (id: number, stage: string) => ({
    id: String(id),
    properties: {
      dealname: `Deal ${id}`,
      pipeline: 'default',
      dealstage: stage,
      amount: '1000',
      createdate: '2026-06-01T09:00:00.000Z',
      closedate: '2026-07-01T09:00:00.000Z',
    },
  });
  return {
    contacts: Array.from({ length: 10 }, (_, i) => contact(i + 1)),
    deals: [deal(501, 'closedwon'), deal(502, 'appointmentscheduled')],
    associations: [
      { contactId: '1', dealId: '501' },
      { contactId: '2', dealId: '502' },
    ],
    campaigns: [{ id: CAMPAIGN_GUID, name: 'webinar', spend: [{ name: 'Ads', amount: 500 }] }],
  };
}

const dashboardSchema = z.object({
  panels: z.array(z.object({ targets: z.array(z.object({ expr: z.string() })).optional() })),
});

async function dashboardMetricNames(): Promise<string[]> {
  const url = new URL('../../infra/grafana/closeloop.json', import.meta.url);
  const dashboard = dashboardSchema.parse(JSON.parse(await readFile(url, 'utf8')));
  const exprs = dashboard.panels.flatMap((panel) => panel.targets ?? []).map((target) => target.expr);
  return [...new Set(exprs.flatMap((expr) => expr.match(/\bcloseloop_\w+/g) ?? []))];
}

describe('the metrics serve and work expose, as the Grafana dashboard reads them', () => {
  const prefix = uniquePrefix(import.meta.filename);
  const logger = createLogger({ level: 'silent' });
  let sandbox: RunningSandbox;
  let server: RunningServer;
  let work: RunningWork;
  let config: Config;
  let redis: Redis;
  let http: HubSpotHttp;
  let portalId: number;

  const sandboxApi = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${await response.text()}`);
    return response;
  };
  const settle = () =>
    waitUntilSettled({
      redis,
      config,
      portal: portalId,
      webhooksPending: () => sandbox.stats().webhooks.pending,
    });
  const scrapeBoth = async (): Promise<[Exposition, Exposition]> => [
    await scrape(server.url, DASHBOARD_TOKEN),
    await scrape(work.url, DASHBOARD_TOKEN),
  ];

  beforeAll(async () => {
    const port = await freePort();
    sandbox = await startSandbox({
      accessToken: ACCESS_TOKEN,
      clientSecret: CLIENT_SECRET,
      webhookUrl: `http://127.0.0.1:${port}/webhooks/hubspot`,
      requestsPer10s: 0,
      webhookBatchMs: 20,
      webhookBackoffScale: 0.0005,
    });
    await sandboxApi('POST', '/__sandbox/seed', portal());
    config = loadConfig({
      HUBSPOT_ACCESS_TOKEN: ACCESS_TOKEN,
      HUBSPOT_CLIENT_SECRET: CLIENT_SECRET,
      HUBSPOT_BASE_URL: sandbox.url,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      PORT: String(port),
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      HUBSPOT_REQUESTS_PER_10S: '2000',
      WORK_PORT: '0',
      DASHBOARD_TOKEN,
    });
    server = await startServer(config, logger);
    redis = connectRedis(TEST_REDIS_URL, 'worker');
    await waitForRedis(redis, 5000);
    http = connectHubSpot(config, redis, () => 'America/New_York');
    portalId = (await setup(http, redis, prefix)).portal.portalId;
    work = await startWork(config, logger);
    // The backfill as a job on work's queue, so its sync, score and write-back run in work's workers.
    const backfill = new Queue(QUEUE_NAMES.backfill, { connection: redis, prefix });
    await backfill.add('backfill', backfillJobSchema.parse({ portal: portalId, reason: 'metrics test' }));
    await backfill.close();
    await settle();
    const [serve0, work0] = await scrapeBoth();
    console.log(work0.samples.filter((s) => s.name.startsWith('closeloop_writeback') || s.name.includes('_count')).map((s) => `${s.name} ${JSON.stringify(s.labels)} ${s.value}`).join('\n'));
    // An open deal's amount moves no figure: HubSpot's webhook wakes sync and a re-score that writes nothing.
    await sandboxApi('PATCH', '/crm/v3/objects/deals/502', { properties: { amount: '1500' } });
    await settle();
  }, 120_000);

  afterAll(async () => {
    await work?.close();
    await server?.close();
    await sandbox?.close();
    redis?.disconnect();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  it('debug', async () => {
    const [s, w] = await scrapeBoth();
    console.log(w.samples.filter((x) => !x.name.endsWith('_bucket') && !x.name.startsWith('closeloop_process') && !x.name.startsWith('closeloop_nodejs')).map((x) => `${x.name} ${JSON.stringify(x.labels)} ${x.value}`).join('\n'));
    console.log('SERVE');
    console.log(s.samples.filter((x) => !x.name.endsWith('_bucket') && !x.name.startsWith('closeloop_process') && !x.name.startsWith('closeloop_nodejs')).map((x) => `${x.name} ${JSON.stringify(x.labels)} ${x.value}`).join('\n'));
    console.log([...w.types].filter(([n]) => !n.startsWith('closeloop_nodejs')));
    console.log(await dashboardMetricNames());
  });
});

import { readFile } from 'node:fs/promises';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CATALOG_TTL_MS } from '../../jobs/refresh-catalog.ts';
import { backfillJobSchema, QUEUE_NAMES } from '../../src/queue.ts';
import { campaignCatalog } from '../../src/store/campaign-catalog.ts';
import { portalKeys } from '../../src/store/keys.ts';
import {
  DASHBOARD_TOKEN,
  type Exposition,
  type MetricsLoop,
  REQUESTS_PER_10S,
  samplesOf,
  scrape,
  startMetricsLoop,
  sumOf,
} from '../support/metrics-loop.ts';
import { leads, pipelineDeal } from '../support/portal-fixtures.ts';
import { uniquePrefix } from '../support/redis.ts';
import { sandboxCalls } from '../support/sandbox-calls.ts';

const CAMPAIGN_GUID = '3f2b8c1e-5a47-4d9e-9b61-0c7e2a4d8f15';
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'];
/** A path segment that is a record id or a campaign GUID: never allowed in a label. */
const RAW_ID = /^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Ten webinar leads, one won and one open deal; the webinar is also a HubSpot campaign with spend. */
function portal() {
  return {
    contacts: leads(1, 10, 'webinar'),
    deals: [pipelineDeal(501, 'closedwon', 1000), pipelineDeal(502, 'appointmentscheduled', 1000)],
    associations: [
      { contactId: '1', dealId: '501' },
      { contactId: '2', dealId: '502' },
    ],
    campaigns: [{ id: CAMPAIGN_GUID, name: 'webinar', spend: [{ name: 'Ads', amount: 500 }] }],
  };
}

const dashboardSchema = z.object({
  panels: z.array(z.object({ targets: z.array(z.object({ expr: z.string().min(1) })).optional() })),
});

/** Every `closeloop_*` series name the dashboard's PromQL expressions read. */
async function dashboardSeries(): Promise<string[]> {
  const url = new URL('../../infra/grafana/closeloop.json', import.meta.url);
  const dashboard = dashboardSchema.parse(JSON.parse(await readFile(url, 'utf8')));
  const exprs = dashboard.panels.flatMap((panel) => panel.targets ?? []).map((target) => target.expr);
  return [...new Set(exprs.flatMap((expr) => expr.match(/\bcloseloop_\w+/g) ?? []))];
}

/** The family a series belongs to: a histogram's `_bucket`, `_sum` and `_count` are its own. */
function familyOf(series: string, expositions: readonly Exposition[]): string {
  const base = series.replace(/_(bucket|sum|count)$/, '');
  return expositions.some((e) => e.types.get(base) === 'histogram') ? base : series;
}

describe('what serve and work expose on /metrics, as the Grafana dashboard reads it', () => {
  const prefix = uniquePrefix(import.meta.filename);
  let loop: MetricsLoop;
  let afterBackfill: Exposition;
  let afterRescore: Exposition;
  let serve: Exposition;

  beforeAll(async () => {
    loop = await startMetricsLoop(prefix, portal());
    // The copy setup read, as it stands once its TTL has passed: work's stats job reads HubSpot's
    // campaigns again, one budget call per campaign GUID.
    const catalog = campaignCatalog(loop.redis, portalKeys(prefix, loop.portal));
    const stored = await catalog.load();
    if (!stored?.available) throw new Error('setup stored no campaign catalog');
    await catalog.save({ available: true, campaigns: stored.campaigns }, Date.now() - CATALOG_TTL_MS);
    // The backfill as a job on work's queue, so its sync, stats, score and write-back run in work.
    const backfill = new Queue(QUEUE_NAMES.backfill, { connection: loop.redis, prefix });
    await backfill.add('backfill', backfillJobSchema.parse({ portal: loop.portal, reason: 'metrics test' }));
    await backfill.close();
    await loop.settle();
    afterBackfill = await scrape(loop.work.url, DASHBOARD_TOKEN);
    // An open deal's amount moves no figure: HubSpot's signed webhook wakes sync and a re-score
    // whose values HubSpot already shows.
    await loop.sandboxApi('PATCH', '/crm/v3/objects/deals/502', { properties: { amount: '1500' } });
    await loop.settle();
    // A dashboard request naming a campaign by its GUID, to see routes stay templates.
    await fetch(`${loop.server.url}/api/campaigns/${CAMPAIGN_GUID}`, {
      headers: { authorization: `Bearer ${DASHBOARD_TOKEN}` },
    });
    afterRescore = await scrape(loop.work.url, DASHBOARD_TOKEN);
    serve = await scrape(loop.server.url, DASHBOARD_TOKEN);
  }, 120_000);

  afterAll(async () => {
    await loop?.stop();
  });

  it('exposes every series the dashboard queries from serve or work', async () => {
    const expositions = [serve, afterRescore];
    const used = await dashboardSeries();
    expect(used.length).toBeGreaterThan(15);
    const missing = used
      .map((series) => familyOf(series, expositions))
      .filter((family) => !expositions.some((e) => e.types.has(family) && e.helped.has(family)));
    expect(missing).toEqual([]);
  });

  it('counts HubSpot calls by endpoint with ids replaced by {id}', () => {
    const calls = samplesOf(afterRescore, 'closeloop_hubspot_calls_total');
    const endpoints = new Set(calls.map((sample) => sample.labels.endpoint));
    expect(endpoints).toContain('/crm/v3/objects/contacts/batch/update');
    expect(endpoints).toContain('/marketing/v3/campaigns/{id}/budget/totals');
    expect(sumOf(afterRescore, 'closeloop_hubspot_calls_total', { status: '200' })).toBeGreaterThan(0);
    for (const sample of [...afterRescore.samples, ...serve.samples]) {
      for (const value of Object.values(sample.labels)) {
        expect(value).not.toContain(CAMPAIGN_GUID);
        if (value.includes('/')) expect(value.split('/').filter((s) => RAW_ID.test(s))).toEqual([]);
      }
    }
    expect(
      samplesOf(serve, 'closeloop_http_requests_total', { route: '/api/campaigns/:campaign' }),
    ).not.toEqual([]);
  });

  it('times the sync, score and write-back jobs', () => {
    for (const queue of ['sync', 'score', 'writeback']) {
      const runs = sumOf(afterRescore, 'closeloop_job_duration_seconds_count', {
        queue,
        outcome: 'completed',
      });
      expect(runs, queue).toBeGreaterThan(0);
    }
  });

  it('counts records written by the backfill, then unchanged after a re-score that changes nothing', () => {
    const written = (e: Exposition, object: string) =>
      sumOf(e, 'closeloop_writeback_records_total', { object, result: 'written' });
    const unchanged = (e: Exposition) =>
      sumOf(e, 'closeloop_writeback_records_total', { result: 'unchanged' });
    // Every lead and both deals were written at least once.
    expect(written(afterBackfill, 'contacts')).toBeGreaterThanOrEqual(10);
    expect(written(afterBackfill, 'deals')).toBeGreaterThanOrEqual(2);
    expect(written(afterRescore, 'contacts')).toBe(written(afterBackfill, 'contacts'));
    expect(written(afterRescore, 'deals')).toBe(written(afterBackfill, 'deals'));
    expect(unchanged(afterRescore)).toBeGreaterThan(unchanged(afterBackfill));
  });

  it('observes the lag of the webhook it received', () => {
    expect(sumOf(serve, 'closeloop_webhook_events_total', { outcome: 'enqueued' })).toBeGreaterThan(0);
    expect(sumOf(serve, 'closeloop_webhook_lag_seconds_count')).toBeGreaterThan(0);
  });

  it("reports the daily budget as HubSpot's last answer said it", async () => {
    const before = (await sandboxCalls(loop.sandbox.url)).length;
    const response = await loop.http({
      method: 'GET',
      path: '/crm/v3/objects/contacts',
      qs: { limit: '1' },
      priority: 'live',
    });
    const said = Number(response.headers.get('x-hubspot-ratelimit-daily-remaining'));
    expect(said).toBeGreaterThan(0);
    const scraped = [
      await scrape(loop.server.url, DASHBOARD_TOKEN),
      await scrape(loop.work.url, DASHBOARD_TOKEN),
    ];
    // Calls the sandbox answered besides ours, while we read: each may have lowered the figure.
    const between = (await sandboxCalls(loop.sandbox.url)).length - before - 1;
    for (const exposition of scraped) {
      const [gauge, ...more] = samplesOf(exposition, 'closeloop_hubspot_daily_remaining');
      expect(more).toEqual([]);
      expect(gauge?.value).toBeLessThanOrEqual(said);
      expect(gauge?.value).toBeGreaterThanOrEqual(said - between);
    }
    expect(sumOf(afterRescore, 'closeloop_hubspot_ratelimit_max')).toBe(REQUESTS_PER_10S);
  });

  it('has a queue_jobs sample per queue and state, and serve agrees with work on the events queue', () => {
    const keys = (e: Exposition) =>
      samplesOf(e, 'closeloop_queue_jobs').map((s) => `${s.labels.queue}/${s.labels.state}`);
    const every = Object.values(QUEUE_NAMES).flatMap((queue) => QUEUE_STATES.map((s) => `${queue}/${s}`));
    expect(keys(afterRescore).sort()).toEqual(every.sort());
    expect(keys(serve).sort()).toEqual(QUEUE_STATES.map((s) => `events/${s}`).sort());
    expect(sumOf(serve, 'closeloop_queue_jobs', { queue: 'events', state: 'completed' })).toBeGreaterThan(0);
    for (const state of QUEUE_STATES) {
      const match = { queue: 'events', state };
      expect(sumOf(serve, 'closeloop_queue_jobs', match), state).toBe(
        sumOf(afterRescore, 'closeloop_queue_jobs', match),
      );
    }
  });

  it('answers 401 on /metrics without the bearer token, on work and on serve', async () => {
    for (const url of [loop.work.url, loop.server.url]) {
      expect((await fetch(`${url}/metrics`)).status, url).toBe(401);
      const wrong = { authorization: 'Bearer not-the-dashboard-token' };
      expect((await fetch(`${url}/metrics`, { headers: wrong })).status, url).toBe(401);
    }
    expect((await scrape(loop.work.url, DASHBOARD_TOKEN)).samples.length).toBeGreaterThan(0);
  });
});

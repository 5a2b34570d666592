import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Calibration } from '../../src/core/calibration.ts';
import type { CurvePoint } from '../../src/core/survival.ts';
import type { CampaignJson } from '../../src/http/campaign-json.ts';
import type { CampaignLeads } from '../../src/store/lead-details.ts';
import {
  browserPerFile,
  type ChartSnapshot,
  chartData,
  collectPageErrors,
  newPage,
  type PageGlobals,
  waitForLoaded,
} from '../support/browser.ts';
import { apiCampaigns, apiJson, dashboardFormat, startDemoLoop } from '../support/browser-loop.ts';
import type { Loop } from '../support/loop-harness.ts';
import { uniquePrefix } from '../support/redis.ts';

type CampaignDetail = CampaignJson & { closeCurve: CurvePoint[]; opportunityCurve: CurvePoint[] };
interface Portal {
  readonly portalId: number;
  readonly uiDomain: string;
}
type Point = { x: number; y: number | null };

/** Numbers equal to floating-point noise (the page and the test add the same figures). */
function expectClose(actual: unknown[], expected: (number | null)[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, index) => {
    if (value === null) expect(actual[index]).toBeNull();
    else expect(actual[index]).toBeCloseTo(value, 9);
  });
}

const dataset = (chart: ChartSnapshot | null, label: string) => {
  const found = chart?.datasets.find((d) => d.label === label);
  if (!found) throw new Error(`no dataset "${label}" in ${chart?.datasets.map((d) => d.label).join(', ')}`);
  return found;
};

/** A curve as Chart.js plots it: {x: day, y: value} for the rate, the band's low and high. */
const curvePoints = (curve: readonly CurvePoint[], key: 'rate' | 'low' | 'high'): Point[] =>
  curve.map((point) => ({ x: point.day, y: point[key] }));

/** Waits until every chart on the page has a Chart.js instance, drawn on a canvas of non-zero size. */
async function expectChartsDrawn(page: Page, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const chart = await chartData(page, id);
    expect(chart, id).not.toBeNull();
    expect(chart?.width, id).toBeGreaterThan(0);
    expect(chart?.height, id).toBeGreaterThan(0);
    expect(chart?.datasets.length, id).toBeGreaterThan(0);
    expect(
      chart?.datasets.some((d) => d.data.length > 0),
      `${id} has data`,
    ).toBe(true);
  }
}

describe('the charts', () => {
  const browser = browserPerFile();
  let loop: Loop;
  let context: BrowserContext;
  let campaigns: CampaignJson[];
  /** The API's rows ordered as the dashboard charts them: most leads first. */
  let byLeads: CampaignJson[];

  beforeAll(async () => {
    loop = await startDemoLoop(uniquePrefix(import.meta.filename));
    campaigns = await apiCampaigns(loop);
    byLeads = [...campaigns].sort((a, b) => b.leads - a.leads);
    ({ context } = await newPage(browser()));
  }, 240_000);
  afterAll(async () => {
    await context?.close();
    await loop?.stop();
  });

  describe('on the dashboard', () => {
    let page: Page;
    let errors: string[];
    beforeAll(async () => {
      page = await context.newPage();
      errors = collectPageErrors(page);
      await page.goto(`${loop.server.url}/`);
      await waitForLoaded(page);
    }, 60_000);

    it('draws all six charts with data', async () => {
      await expectChartsDrawn(page, [
        'alignment-chart',
        'curves-chart',
        'funnel-chart',
        'time-chart',
        'cost-chart',
        'calibration-chart',
      ]);
      expect(errors).toEqual([]);
    });

    it('plots each campaign’s share of leads and of revenue', async () => {
      const chart = await chartData(page, 'alignment-chart');
      const top = byLeads.slice(0, 15);
      const leads = campaigns.reduce((sum, c) => sum + c.leads, 0);
      const revenue = campaigns.reduce((sum, c) => sum + (c.revenue ?? 0), 0);
      expect(chart?.labels).toEqual(top.map((c) => c.name));
      expectClose(
        dataset(chart, 'Share of leads').data,
        top.map((c) => c.leads / leads),
      );
      expectClose(
        dataset(chart, 'Share of revenue').data,
        top.map((c) => (c.revenue ?? 0) / revenue),
      );
    });

    it('plots the funnel counts', async () => {
      const chart = await chartData(page, 'funnel-chart');
      const top = byLeads.slice(0, 10);
      expect(chart?.labels).toEqual(top.map((c) => c.name));
      expect(dataset(chart, 'Leads').data).toEqual(top.map((c) => c.leads));
      expect(dataset(chart, 'Opportunities').data).toEqual(top.map((c) => c.opportunities));
      expect(dataset(chart, 'Won').data).toEqual(top.map((c) => c.won));
    });

    it('plots the quartiles of days from opportunity to won', async () => {
      const chart = await chartData(page, 'time-chart');
      const timed = byLeads.filter((c) => c.daysToClose?.median != null).slice(0, 15);
      expect(timed.length).toBeGreaterThan(0);
      expect(chart?.labels).toEqual(timed.map((c) => c.name));
      expect(dataset(chart, 'Middle half (days)').data).toEqual(
        timed.map((c) => [c.daysToClose?.q1, c.daysToClose?.q3]),
      );
      expect(dataset(chart, 'Median (days)').data).toEqual(
        timed.map((c, index) => ({ x: c.daysToClose?.median, y: index })),
      );
    });

    it('plots cost per lead against cost per expected won deal', async () => {
      const chart = await chartData(page, 'cost-chart');
      const priced = byLeads.filter((c) => c.costPerLead !== null && c.costPerExpectedWon?.value != null);
      // Paid UTM campaigns (imported spend) and HubSpot campaigns (spend recorded in HubSpot).
      expect(priced.length).toBeGreaterThanOrEqual(3);
      expect(chart?.datasets.map((d) => d.label)).toEqual(priced.map((c) => c.name));
      for (const c of priced)
        expect(dataset(chart, c.name).data).toEqual([{ x: c.costPerLead, y: c.costPerExpectedWon?.value }]);
    });

    it('draws every cost marker in its campaign’s colour, outline included', async () => {
      // Some point styles (star, crossRot) are only stroked: a missing border colour hides them.
      const markers = await page.evaluate(() => {
        type Meta = {
          data: { options: { pointStyle: string; borderColor: string; backgroundColor: string } }[];
        };
        const g = globalThis as unknown as PageGlobals & {
          Chart: {
            getChart(canvas: unknown): { data: { datasets: unknown[] }; getDatasetMeta(i: number): Meta };
          };
        };
        const chart = g.Chart.getChart(g.document.getElementById('cost-chart'));
        return chart.data.datasets.map((_, index) => chart.getDatasetMeta(index).data[0]?.options);
      });
      expect(markers.length).toBeGreaterThanOrEqual(6);
      expect(new Set(markers.map((m) => m?.pointStyle))).toContain('star');
      for (const marker of markers) expect(marker?.borderColor).toBe(marker?.backgroundColor);
    });

    it('plots the calibration bands', async () => {
      const calibration = await apiJson<Calibration>(loop, '/api/calibration');
      const bands = calibration.bands.filter((band) => band.count > 0);
      expect(bands.length).toBeGreaterThan(0);
      const chart = await chartData(page, 'calibration-chart');
      expect(dataset(chart, 'Score bands').data).toEqual(
        bands.map((band) => ({ x: band.predicted, y: band.observed, count: band.count })),
      );
      expect(dataset(chart, 'Perfectly calibrated').data).toEqual([
        { x: 0, y: 0 },
        { x: 1, y: 1 },
      ]);
    });

    it('plots the close curves of the ticked campaigns, and of one ticked by the user', async () => {
      const { uncertainty } = await dashboardFormat();
      // Ticked at first: the first three campaigns whose figures are solid.
      const ticked = campaigns.filter((c) => uncertainty(c) === null).slice(0, 3);
      expect(ticked.length).toBeGreaterThan(0);
      const chart = await chartData(page, 'curves-chart');
      expect(chart?.datasets.map((d) => d.label)).toEqual(
        ticked.flatMap((c) => [`${c.name} (low)`, `${c.name} (95 % band)`, c.name]),
      );
      for (const c of ticked) {
        const detail = await apiJson<CampaignDetail>(
          loop,
          `/api/campaigns/${encodeURIComponent(c.campaign)}`,
        );
        expect(dataset(chart, c.name).data).toEqual(curvePoints(detail.closeCurve, 'rate'));
        expect(dataset(chart, `${c.name} (low)`).data).toEqual(curvePoints(detail.closeCurve, 'low'));
        expect(dataset(chart, `${c.name} (95 % band)`).data).toEqual(curvePoints(detail.closeCurve, 'high'));
      }

      const other = campaigns.find((c) => !ticked.includes(c) && c.leads >= 30);
      if (!other) throw new Error('the demo portal should have a fourth campaign');
      await page.getByRole('checkbox', { name: `Show the close-rate curve of ${other.name}` }).check();
      await expect
        .poll(async () => (await chartData(page, 'curves-chart'))?.datasets.map((d) => d.label))
        .toContain(other.name);
      const detail = await apiJson<CampaignDetail>(
        loop,
        `/api/campaigns/${encodeURIComponent(other.campaign)}`,
      );
      expect(dataset(await chartData(page, 'curves-chart'), other.name).data).toEqual(
        curvePoints(detail.closeCurve, 'rate'),
      );
      expect(errors).toEqual([]);
    }, 60_000);
  });

  describe('on a campaign page', () => {
    let page: Page;
    let errors: string[];
    let campaign: CampaignJson;
    beforeAll(async () => {
      // A HubSpot campaign: its key is a GUID, its name comes from HubSpot's Campaigns API.
      const found = campaigns.find((c) => c.name === 'Spring webinar');
      if (!found) throw new Error('the demo portal has no "Spring webinar"');
      campaign = found;
      expect(campaign.campaign).not.toBe(campaign.name);
      page = await context.newPage();
      errors = collectPageErrors(page);
      await page.goto(`${loop.server.url}/`);
      await waitForLoaded(page);
      // Reached the way a user does: the campaign's link in the table.
      await Promise.all([
        page.waitForURL(`**/campaigns/${campaign.campaign}`),
        page.getByRole('link', { name: campaign.name, exact: true }).click(),
      ]);
      await waitForLoaded(page);
    }, 60_000);

    it('names the campaign and draws its three charts', async () => {
      await expect.poll(() => page.locator('h1').textContent()).toBe(campaign.name);
      await expectChartsDrawn(page, ['close-curve-chart', 'opportunity-curve-chart', 'scores-chart']);
      expect(errors).toEqual([]);
    });

    it('plots its close and opportunity curves as the API gives them', async () => {
      const detail = await apiJson<CampaignDetail>(
        loop,
        `/api/campaigns/${encodeURIComponent(campaign.campaign)}`,
      );
      const close = await chartData(page, 'close-curve-chart');
      expect(dataset(close, 'Won').data).toEqual(curvePoints(detail.closeCurve, 'rate'));
      expect(dataset(close, 'low').data).toEqual(curvePoints(detail.closeCurve, 'low'));
      expect(dataset(close, '95 % band').data).toEqual(curvePoints(detail.closeCurve, 'high'));
      const opportunity = await chartData(page, 'opportunity-curve-chart');
      expect(dataset(opportunity, 'Opportunity').data).toEqual(curvePoints(detail.opportunityCurve, 'rate'));
      expect(dataset(opportunity, '95 % band').data).toEqual(curvePoints(detail.opportunityCurve, 'high'));
    });

    it('plots the histogram of its open leads’ scores', async () => {
      const leads = await apiJson<CampaignLeads>(
        loop,
        `/api/campaigns/${encodeURIComponent(campaign.campaign)}/leads`,
      );
      const chart = await chartData(page, 'scores-chart');
      expect(chart?.labels).toEqual(leads.histogram.map((band) => `${band.low}–${band.high}`));
      expect(dataset(chart, 'Open leads').data).toEqual(leads.histogram.map((band) => band.count));
      expect(leads.histogram.reduce((sum, band) => sum + band.count, 0)).toBe(leads.open);
    });

    it('links each lead to its contact record in HubSpot', async () => {
      const portal = await apiJson<Portal>(loop, '/api/portal');
      const leads = await apiJson<CampaignLeads>(
        loop,
        `/api/campaigns/${encodeURIComponent(campaign.campaign)}/leads`,
      );
      expect(leads.top.length).toBeGreaterThan(0);
      const links = await page.evaluate(() => {
        const g = globalThis as unknown as PageGlobals;
        return Array.from(g.document.querySelectorAll('#leads tbody a'), (a) => ({
          href: a.href ?? '',
          text: a.textContent,
          target: a.getAttribute('target'),
          rel: a.getAttribute('rel'),
        }));
      });
      expect(links.map((link) => link.href).sort()).toEqual(
        leads.top
          .map((lead) => `https://${portal.uiDomain}/contacts/${portal.portalId}/record/0-1/${lead.id}`)
          .sort(),
      );
      for (const link of links) {
        expect(link.href).toMatch(/^https:\/\/[^/]+\/contacts\/\d+\/record\/0-1\/\d+$/);
        expect(link).toMatchObject({ target: '_blank', rel: 'noopener' });
      }
    });
  });
});

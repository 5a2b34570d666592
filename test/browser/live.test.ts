import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserPerFile,
  collectPageErrors,
  loadedCount,
  newPage,
  type PageGlobals,
  signIn,
  waitForLoaded,
} from '../support/browser.ts';
import { DASHBOARD_TOKEN, SMALL_PORTAL, startSmallLoop } from '../support/browser-loop.ts';
import type { Loop } from '../support/loop-harness.ts';
import { uniquePrefix } from '../support/redis.ts';

/** A campaign's row in the dashboard's table: leads, opportunities, won, revenue as shown. */
function tableRow(page: Page, campaign: string) {
  return page.evaluate((key) => {
    const g = globalThis as unknown as PageGlobals;
    const cells = g.document.querySelectorAll(`#campaigns tbody tr[data-campaign="${key}"] td`);
    const text = (index: number) => cells[index]?.textContent ?? '';
    return { leads: text(1), opportunities: text(2), won: text(3), revenue: text(4) };
  }, campaign);
}

/** The campaign page's figures (`<dl>`), term → value. */
function figures(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    return Object.fromEntries(
      Array.from(g.document.querySelectorAll('#figures > div'), (pair) => [
        pair.querySelector('dt')?.textContent ?? '',
        pair.querySelector('dd')?.textContent ?? '',
      ]),
    );
  });
}

/** Marks the page's window: a reload or navigation would lose the mark. */
const mark = (page: Page) =>
  page.evaluate(() => {
    (globalThis as unknown as { closeloopTestMark: boolean }).closeloopTestMark = true;
  });
const stillMarked = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { closeloopTestMark?: boolean }).closeloopTestMark === true);

describe('live updates on the open dashboard', () => {
  const browser = browserPerFile();
  let loop: Loop;
  let context: BrowserContext;
  let dashboard: Page;
  let campaignPage: Page;
  let errors: string[];
  let campaignErrors: string[];

  beforeAll(async () => {
    // With the token: the event stream is authenticated by the session cookie, as in production.
    loop = await startSmallLoop(uniquePrefix(import.meta.filename), { token: true });
    ({ context, page: dashboard } = await newPage(browser()));
    errors = collectPageErrors(dashboard);
    await signIn(dashboard, loop.server.url, DASHBOARD_TOKEN);
    await waitForLoaded(dashboard);
    campaignPage = await context.newPage();
    campaignErrors = collectPageErrors(campaignPage);
    await campaignPage.goto(`${loop.server.url}/campaigns/webinar`);
    await waitForLoaded(campaignPage);
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await loop?.stop();
  });

  it('shows a new lead without a reload', async () => {
    expect(await tableRow(dashboard, 'webinar')).toMatchObject({ leads: '40', won: '8' });
    expect(await figures(campaignPage)).toMatchObject({ Leads: '40' });
    await mark(dashboard);
    await mark(campaignPage);
    const before = await loadedCount(dashboard);
    const beforeCampaign = await loadedCount(campaignPage);

    await loop.admin('/__sandbox/seed', {
      contacts: [
        {
          properties: {
            email: 'live-lead@example.com',
            lifecyclestage: 'lead',
            hs_analytics_source: 'PAID_SEARCH',
            hs_analytics_source_data_1: 'webinar',
          },
        },
      ],
      emitWebhooks: true,
    });

    await expect
      .poll(() => tableRow(dashboard, 'webinar'), { timeout: 60_000 })
      .toMatchObject({ leads: '41' });
    expect(await loadedCount(dashboard)).toBeGreaterThan(before);
    await expect.poll(() => figures(campaignPage), { timeout: 60_000 }).toMatchObject({ Leads: '41' });
    expect(await loadedCount(campaignPage)).toBeGreaterThan(beforeCampaign);
    expect(await stillMarked(dashboard)).toBe(true);
    expect(await stillMarked(campaignPage)).toBe(true);
  }, 90_000);

  it('shows a deal closed won without a reload', async () => {
    const before = await loadedCount(dashboard);
    expect(await tableRow(dashboard, 'webinar')).toMatchObject({ won: '8', revenue: '8,000 USD' });

    await loop.api('PATCH', `/crm/v3/objects/deals/${SMALL_PORTAL.openDeal}`, {
      properties: { dealstage: 'closedwon' },
    });

    await expect
      .poll(() => tableRow(dashboard, 'webinar'), { timeout: 60_000 })
      .toMatchObject({ won: '9', revenue: '12,000 USD' });
    expect(await loadedCount(dashboard)).toBeGreaterThan(before);
    await expect.poll(() => figures(campaignPage), { timeout: 60_000 }).toMatchObject({ Won: '9' });
    expect(await stillMarked(dashboard)).toBe(true);
    expect(await stillMarked(campaignPage)).toBe(true);
    expect(errors).toEqual([]);
    expect(campaignErrors).toEqual([]);
  }, 90_000);
});

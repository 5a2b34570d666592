import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignJson } from '../../src/http/campaign-json.ts';
import {
  browserPerFile,
  collectPageErrors,
  newPage,
  type PageGlobals,
  waitForLoaded,
} from '../support/browser.ts';
import {
  apiCampaigns,
  type DashboardFormat,
  dashboardFormat,
  startDemoLoop,
} from '../support/browser-loop.ts';
import type { Loop } from '../support/loop-harness.ts';
import { uniquePrefix } from '../support/redis.ts';

interface Row {
  readonly campaign: string;
  readonly name: string;
  readonly leads: number;
  /** The badge's title: why the row is uncertain, or null without a badge. */
  readonly uncertain: string | null;
}

/** The table's rows as shown, top to bottom. */
function rows(page: Page): Promise<Row[]> {
  return page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    return Array.from(g.document.querySelectorAll('#campaigns tbody tr'), (tr) => ({
      campaign: tr.dataset.campaign ?? '',
      name: tr.querySelector('th[scope="row"] a')?.textContent ?? '',
      leads: Number((tr.querySelectorAll('td')[1]?.textContent ?? '').replace(/,/g, '')),
      uncertain: tr.querySelector('.badge')?.getAttribute('title') ?? null,
    }));
  });
}

/** Each sortable column's `aria-sort`, by its sort key. */
function ariaSorts(page: Page): Promise<Record<string, string | null>> {
  return page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    return Object.fromEntries(
      Array.from(g.document.querySelectorAll('#campaigns thead button[data-sort]'), (button) => [
        button.dataset.sort ?? '',
        g.document
          .querySelector(`#campaigns thead th:has(> button[data-sort="${button.dataset.sort}"])`)
          ?.getAttribute('aria-sort') ?? null,
      ]),
    );
  });
}

const focusedSortKey = (page: Page) =>
  page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    return g.document.activeElement?.dataset.sort ?? null;
  });

/** Presses Tab until the element matching `selector` has focus (the keyboard path a user takes). */
async function tabTo(page: Page, selector: string, maxPresses = 40): Promise<number> {
  for (let presses = 1; presses <= maxPresses; presses++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate((s) => {
      const g = globalThis as unknown as PageGlobals;
      return g.document.activeElement?.matches(s) ?? false;
    }, selector);
    if (focused) return presses;
  }
  throw new Error(`${selector} never got the focus after ${maxPresses} Tab presses`);
}

describe('the campaign table', () => {
  const browser = browserPerFile();
  let loop: Loop;
  let campaigns: CampaignJson[];
  let format: DashboardFormat;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    loop = await startDemoLoop(uniquePrefix(import.meta.filename));
    campaigns = await apiCampaigns(loop);
    format = await dashboardFormat();
    ({ context, page } = await newPage(browser()));
    errors = collectPageErrors(page);
    await page.goto(`${loop.server.url}/`);
    await waitForLoaded(page);
  }, 240_000);
  afterAll(async () => {
    // Pages first: serve's close waits for their open event streams.
    await context?.close();
    await loop?.stop();
  });

  it('has a row for every campaign of the portal', async () => {
    const shown = await rows(page);
    expect(campaigns.length).toBeGreaterThanOrEqual(12);
    expect(shown.map((row) => row.name).sort()).toEqual(campaigns.map((c) => c.name).sort());
    expect(shown.map((row) => row.campaign).sort()).toEqual(campaigns.map((c) => c.campaign).sort());
    // By default most leads first.
    expect(shown.map((row) => row.leads)).toEqual(
      [...campaigns].sort((a, b) => b.leads - a.leads).map((c) => c.leads),
    );
    expect(errors).toEqual([]);
  });

  it('marks as uncertain exactly the rows uncertainty() flags, with its reason', async () => {
    const shown = new Map((await rows(page)).map((row) => [row.campaign, row.uncertain]));
    const expected = new Map(campaigns.map((c) => [c.campaign, format.uncertainty(c)]));
    expect(shown).toEqual(expected);
    // The demo has both kinds, so the check means something.
    expect([...expected.values()].filter((why) => why !== null).length).toBeGreaterThan(0);
    expect([...expected.values()].filter((why) => why === null).length).toBeGreaterThan(0);
  });

  it('sorts with the keyboard alone, aria-sort following', async () => {
    await page.locator('h1').click(); // start the Tab walk from the top of the page
    await tabTo(page, 'button[data-sort="name"]');
    expect(await ariaSorts(page)).toMatchObject({ name: 'none', leads: 'descending' });

    await page.keyboard.press('Enter');
    await expect.poll(() => ariaSorts(page)).toMatchObject({ name: 'ascending', leads: 'none' });
    const names = [...campaigns.map((c) => c.name)].sort((a, b) => a.localeCompare(b));
    expect((await rows(page)).map((row) => row.name)).toEqual(names);
    expect(await focusedSortKey(page)).toBe('name'); // the re-rendered header keeps the focus

    await page.keyboard.press('Space');
    await expect.poll(() => ariaSorts(page)).toMatchObject({ name: 'descending' });
    expect((await rows(page)).map((row) => row.name)).toEqual([...names].reverse());

    // Next header: a numeric column starts with the largest first; Space flips it.
    await page.keyboard.press('Tab');
    expect(await focusedSortKey(page)).toBe('leads');
    await page.keyboard.press('Space');
    await expect.poll(() => ariaSorts(page)).toMatchObject({ name: 'none', leads: 'descending' });
    const descending = (await rows(page)).map((row) => row.leads);
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    await page.keyboard.press('Enter');
    await expect.poll(() => ariaSorts(page)).toMatchObject({ leads: 'ascending' });
    const ascending = (await rows(page)).map((row) => row.leads);
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    const sorts = Object.values(await ariaSorts(page));
    expect(sorts.filter((value) => value !== 'none')).toEqual(['ascending']);
  }, 60_000);

  it('filters by name as the user types', async () => {
    await page.locator('h1').click();
    await tabTo(page, '#filter');
    await page.keyboard.type('SPRING');
    const spring = campaigns.filter((c) => c.name.toLowerCase().includes('spring')).map((c) => c.name);
    expect(spring.length).toBeGreaterThan(0);
    expect(spring.length).toBeLessThan(campaigns.length);
    await expect
      .poll(async () => (await rows(page)).map((row) => row.name).sort())
      .toEqual([...spring].sort());

    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Backspace');
    await expect.poll(async () => (await rows(page)).length).toBe(campaigns.length);
  }, 60_000);

  it('hides the uncertain campaigns with the checkbox, toggled by Space', async () => {
    await page.locator('h1').click();
    await tabTo(page, '#hide-uncertain');
    await page.keyboard.press('Space');
    const certain = campaigns.filter((c) => format.uncertainty(c) === null).map((c) => c.campaign);
    await expect
      .poll(async () => (await rows(page)).map((row) => row.campaign).sort())
      .toEqual([...certain].sort());
    expect((await rows(page)).every((row) => row.uncertain === null)).toBe(true);

    await page.keyboard.press('Space');
    await expect.poll(async () => (await rows(page)).length).toBe(campaigns.length);
    expect(errors).toEqual([]);
  }, 60_000);
});

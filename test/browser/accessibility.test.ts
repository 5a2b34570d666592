import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AxeViolation,
  axeViolations,
  browserPerFile,
  collectPageErrors,
  newPage,
  seriousViolations,
  signIn,
  waitForLoaded,
} from '../support/browser.ts';
import { apiCampaigns, DASHBOARD_TOKEN, startDemoLoop } from '../support/browser-loop.ts';
import type { Loop } from '../support/loop-harness.ts';
import { uniquePrefix } from '../support/redis.ts';

/** Fails on serious or critical violations; prints the lesser ones so they are seen. */
function expectAccessible(where: string, violations: AxeViolation[]): void {
  const lesser = violations.filter((violation) => !seriousViolations([violation]).length);
  if (lesser.length > 0)
    console.warn(`${where}: axe (minor/moderate)`, lesser.map((v) => `${v.id}: ${v.help}`).join('; '));
  expect(seriousViolations(violations), where).toEqual([]);
}

describe('accessibility (axe-core)', () => {
  const browser = browserPerFile();
  let loop: Loop;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    loop = await startDemoLoop(uniquePrefix(import.meta.filename), { token: true });
    ({ context, page } = await newPage(browser()));
    errors = collectPageErrors(page);
  }, 240_000);
  afterAll(async () => {
    await context?.close();
    await loop?.stop();
  });

  it('finds nothing serious on /login, also after a failed attempt', async () => {
    await page.goto(`${loop.server.url}/login`);
    expectAccessible('/login', await axeViolations(page));
    await signIn(page, loop.server.url, 'not-the-right-token');
    await expect.poll(() => page.getByRole('alert').isVisible()).toBe(true);
    expectAccessible('/login?failed=1', await axeViolations(page));
  }, 60_000);

  it('finds nothing serious on the dashboard', async () => {
    await signIn(page, loop.server.url, DASHBOARD_TOKEN);
    await waitForLoaded(page);
    expectAccessible('/', await axeViolations(page));
    // And with a filter applied and a column sorted: the states a user leaves the table in.
    await page.getByLabel('Hide uncertain campaigns').check();
    await page.getByRole('button', { name: 'Revenue' }).click();
    expectAccessible('/ (filtered, sorted)', await axeViolations(page));
  }, 60_000);

  it('finds nothing serious on a campaign page', async () => {
    const campaigns = await apiCampaigns(loop);
    const campaign = campaigns.find((c) => c.name === 'Referral program') ?? campaigns[0];
    await page.goto(`${loop.server.url}/campaigns/${encodeURIComponent(campaign?.campaign ?? '')}`);
    await waitForLoaded(page);
    expectAccessible(`/campaigns/${campaign?.name}`, await axeViolations(page));
    expect(errors).toEqual([]);
  }, 60_000);
});

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserPerFile, collectPageErrors, newPage, outputDir, waitForLoaded } from '../support/browser.ts';
import { apiCampaigns, startDemoLoop } from '../support/browser-loop.ts';
import type { Loop } from '../support/loop-harness.ts';
import { uniquePrefix } from '../support/redis.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A full-page screenshot in test-output/screenshots/, checked to be a real, non-trivial PNG. */
async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(await outputDir('screenshots'), name);
  await page.screenshot({ path, fullPage: true });
  const png = await readFile(path);
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.length).toBeGreaterThan(20_000);
  console.log(`screenshot: ${path}`);
  return path;
}

describe('screenshots of the demo portal', () => {
  const browser = browserPerFile();
  let loop: Loop;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    loop = await startDemoLoop(uniquePrefix(import.meta.filename));
    ({ context, page } = await newPage(browser()));
    errors = collectPageErrors(page);
  }, 240_000);
  afterAll(async () => {
    await context?.close();
    await loop?.stop();
  });

  it('of the dashboard', async () => {
    await page.goto(`${loop.server.url}/`);
    await waitForLoaded(page);
    await screenshot(page, 'dashboard.png');
    expect(errors).toEqual([]);
  }, 60_000);

  it('of a campaign page', async () => {
    const campaign = (await apiCampaigns(loop)).find((c) => c.name === 'linkedin-abm');
    await page.goto(`${loop.server.url}/campaigns/${encodeURIComponent(campaign?.campaign ?? '')}`);
    await waitForLoaded(page);
    await screenshot(page, 'campaign.png');
    expect(errors).toEqual([]);
  }, 60_000);
});

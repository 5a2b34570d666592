import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { QUEUE_NAMES } from '../../src/queue.ts';
import { connectRedis } from '../../src/redis.ts';
import { type RunningServer, startServer } from '../../src/serve.ts';
import { browserPerFile, collectPageErrors, newPage, outputDir, signIn } from '../support/browser.ts';
import { DASHBOARD_TOKEN } from '../support/browser-loop.ts';
import { freePort } from '../support/private-redis.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';

const QUEUES = Object.values(QUEUE_NAMES);
const CSP_VIOLATION = /Content Security Policy/;
// The board renders after fetching its API; on a busy machine that takes more than poll's 1 s.
const RENDERED = { timeout: 30_000 };

describe('the queue board in a browser', () => {
  const browser = browserPerFile();
  const prefix = uniquePrefix(import.meta.filename);
  const contexts: BrowserContext[] = [];
  let server: RunningServer;
  let redis: Redis;
  let writeback: Queue;
  let failedId: string;
  const url = (path: string) => `${server.url}${path}`;
  const fresh = async (): Promise<Page> => {
    const { context, page } = await newPage(browser());
    contexts.push(context);
    return page;
  };

  beforeAll(async () => {
    const port = await freePort();
    server = await startServer(
      loadConfig({
        HUBSPOT_CLIENT_SECRET: 'board-browser-secret-1234',
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        PORT: String(port),
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: prefix,
        DASHBOARD_TOKEN,
      }),
      createLogger({ level: 'silent' }),
    );
    redis = connectRedis(TEST_REDIS_URL, 'worker');
    writeback = new Queue(QUEUE_NAMES.writeback, { connection: redis, prefix });
    await writeback.add('batch', { ids: ['11', '12'] });
    // Taken as a worker would and failed for good, so the board has something to retry.
    const worker = new Worker(QUEUE_NAMES.writeback, null, { connection: redis, prefix, autorun: false });
    const job = await worker.getNextJob('board-browser-test', { block: false });
    await job?.moveToFailed(new Error('HubSpot refused the batch'), 'board-browser-test', false);
    await worker.close();
    failedId = job?.id ?? '';
  }, 60_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await server?.close();
    await writeback?.close();
    redis?.disconnect();
    await deleteKeys(TEST_REDIS_URL, prefix);
  }, 60_000);

  it('signs in on the way to the board, which shows every queue with no CSP violation', async () => {
    const page = await fresh();
    const errors = collectPageErrors(page);
    await page.goto(url('/admin/queues'));
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/admin/queues');
    await page.getByLabel('Dashboard token').fill(DASHBOARD_TOKEN);
    const [board] = await Promise.all([
      page.waitForResponse((response) => new URL(response.url()).pathname === '/admin/queues'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    expect(board.status()).toBe(200);
    expect(await board.headerValue('content-security-policy')).toMatch(
      /style-src-attr 'unsafe-hashes' 'sha256-/,
    );

    // Each queue is in the sidebar and has its card on the overview.
    const sidebar = page.locator('#bull-board-sidebar');
    const cards = page.locator('main');
    for (const name of QUEUES) {
      const shown = async () =>
        (await sidebar.getByRole('link', { name, exact: true }).isVisible()) &&
        (await cards.getByRole('link', { name, exact: true }).isVisible());
      await expect.poll(shown, { message: name, ...RENDERED }).toBe(true);
    }
    await page.screenshot({ path: join(await outputDir('screenshots'), 'admin-queues.png') });
    expect(errors).toEqual([]);
  }, 60_000);

  it("opens the board's settings and a select (base-ui's own style element) with no violation", async () => {
    const page = await fresh();
    const errors = collectPageErrors(page);
    await signIn(page, server.url, DASHBOARD_TOKEN, '/admin/queues');
    // The header's last button is the settings one (the icons carry no accessible name).
    await page.locator('header ul li button').last().click();
    const settings = page.getByRole('dialog');
    await expect.poll(() => settings.textContent(), RENDERED).toMatch(/Polling interval/);
    await settings.getByRole('combobox').first().click();
    await expect.poll(() => page.getByRole('listbox').isVisible(), RENDERED).toBe(true);
    const scriptedStyles = await page.evaluate(() => {
      const g = globalThis as unknown as {
        document: { querySelectorAll(selector: string): ArrayLike<unknown> };
      };
      return g.document.querySelectorAll('style[data-href="base-ui-disable-scrollbar"]').length;
    });
    expect(scriptedStyles).toBe(1);
    expect(errors).toEqual([]);
  }, 60_000);

  it("retries a failed job from the board's own button (a same-origin cookie write)", async () => {
    const page = await fresh();
    const errors = collectPageErrors(page);
    await signIn(page, server.url, DASHBOARD_TOKEN, '/admin/queues/queue/writeback?status=failed');
    await page.getByRole('button', { name: 'Retry all' }).click();
    const confirm = page.getByRole('alertdialog');
    expect(await confirm.textContent()).toMatch(/retry all failed jobs/);
    const [retry] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'PUT'),
      confirm.getByRole('button', { name: 'Confirm' }).click(),
    ]);
    expect(new URL(retry.url()).pathname).toBe('/admin/queues/api/queues/writeback/retry/failed');
    expect(retry.status()).toBe(200);
    expect(await writeback.getJobState(failedId)).toBe('waiting');
    expect(errors).toEqual([]);
  }, 60_000);

  it('enforces its policy: a style the board does not ship is refused and reported', async () => {
    const page = await fresh();
    const errors = collectPageErrors(page);
    await signIn(page, server.url, DASHBOARD_TOKEN, '/admin/queues');
    await expect.poll(() => page.locator('#bull-board-sidebar').isVisible(), RENDERED).toBe(true);
    expect(errors).toEqual([]);
    const outline = await page.evaluate(() => {
      const g = globalThis as unknown as {
        document: {
          body: object;
          head: { append(node: unknown): void };
          createElement(tag: string): { textContent: string };
        };
        getComputedStyle(element: object): { outlineStyle: string };
      };
      const style = g.document.createElement('style');
      style.textContent = 'body { outline: 3px solid red }';
      g.document.head.append(style);
      return g.getComputedStyle(g.document.body).outlineStyle;
    });
    expect(outline).toBe('none');
    await expect.poll(() => errors.filter((error) => CSP_VIOLATION.test(error)).length, RENDERED).toBe(1);
  }, 60_000);
});

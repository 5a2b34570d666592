import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/**
 * Browser tests drive Debian's Chromium through playwright-core (no browser is ever downloaded).
 * The tests compile without the DOM library, so code run in the page sees its globals through the
 * narrow `PageGlobals` view below.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Where browser tests leave what a person may want to look at (git-ignored): screenshots, timings. */
export const TEST_OUTPUT = join(import.meta.dirname, '..', '..', 'test-output');

/** `test-output/<sub>`, created if missing. */
export async function outputDir(sub = ''): Promise<string> {
  const dir = join(TEST_OUTPUT, sub);
  await mkdir(dir, { recursive: true });
  return dir;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * One browser per test file: launched in beforeAll, closed in afterAll. Vitest runs afterAll hooks
 * last-registered first, so a file's own afterAll runs before this one: close the pages (contexts)
 * there before stopping the loop, since serve's close waits for their open event streams.
 */
export function browserPerFile(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('The browser is not running: is this called outside a test?');
    return browser;
  };
}

/** A fresh context (own cookies) with a desktop-sized page. */
export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  return { context, page: await context.newPage() };
}

/** What the tests read of the page's globals (the DOM, Chart.js), loosely typed. */
export interface PageElement {
  readonly id: string;
  readonly textContent: string | null;
  /** Set on canvases and anchors; undefined elsewhere. */
  readonly width?: number;
  readonly height?: number;
  readonly href?: string;
  readonly dataset: Record<string, string | undefined>;
  getAttribute(name: string): string | null;
  matches(selector: string): boolean;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
export interface PageChart {
  readonly config: { readonly type: string };
  readonly data: {
    readonly labels?: unknown[];
    readonly datasets: { readonly label?: string; readonly type?: string; readonly data: unknown[] }[];
  };
}
export interface PageGlobals {
  readonly document: {
    readonly body: PageElement;
    readonly activeElement: PageElement | null;
    getElementById(id: string): PageElement | null;
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): ArrayLike<PageElement>;
  };
  readonly Chart?: { getChart(canvas: PageElement): PageChart | undefined };
  readonly performance: { now(): number; getEntriesByType(type: string): unknown[] };
}

/** How many times the page has (re)loaded its data: `document.body.dataset.loaded`. */
export function loadedCount(page: Page): Promise<number> {
  return page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    return Number(g.document.body.dataset.loaded ?? '0');
  });
}

/** Waits until the page has loaded its data at least `atLeast` times. */
export async function waitForLoaded(page: Page, atLeast = 1, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const g = globalThis as unknown as PageGlobals;
      return Number(g.document.body.dataset.loaded ?? '0') >= n;
    },
    atLeast,
    { timeout },
  );
}

export interface ChartSnapshot {
  readonly type: string;
  /** The canvas's drawing size in pixels: both above zero once Chart.js has drawn it. */
  readonly width: number;
  readonly height: number;
  readonly labels: unknown[];
  readonly datasets: { label: string; type: string | undefined; data: unknown[] }[];
}

/** The data of the Chart.js instance drawn on `<canvas id=…>`, or null when there is none. */
export function chartData(page: Page, canvasId: string): Promise<ChartSnapshot | null> {
  return page.evaluate((id) => {
    const g = globalThis as unknown as PageGlobals;
    const canvas = g.document.getElementById(id);
    const chart = canvas && g.Chart?.getChart(canvas);
    if (!chart) return null;
    return {
      type: chart.config.type,
      width: canvas.width ?? 0,
      height: canvas.height ?? 0,
      labels: [...(chart.data.labels ?? [])],
      datasets: chart.data.datasets.map((dataset) => ({
        label: dataset.label ?? '',
        type: dataset.type,
        data: [...dataset.data],
      })),
    };
  }, canvasId);
}

/** Signs in through the login form; resolves once the browser has left /login, or been sent back as failed. */
export async function signIn(page: Page, baseUrl: string, token: string, next = '/'): Promise<void> {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Dashboard token').fill(token);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/login' || url.searchParams.has('failed')),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

/**
 * Errors the page reports: uncaught exceptions, console errors (CSP violations land there too) and
 * failed requests. Collect from before the first navigation.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('requestfailed', (request) => {
    // An EventSource closed by navigation or the end of a test is not a failure of the page.
    if (request.url().endsWith('/api/events')) return;
    errors.push(`requestfailed: ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  return errors;
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: string[];
}

const AXE_SOURCE = (async () =>
  readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'))();

/**
 * Runs axe-core in the page. It is evaluated through the DevTools protocol rather than added as a
 * `<script>`, so the dashboard's Content-Security-Policy stays on while it runs.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(await AXE_SOURCE);
  return page.evaluate(async () => {
    const g = globalThis as unknown as {
      axe: {
        run(options: unknown): Promise<{
          violations: {
            id: string;
            impact: string | null;
            help: string;
            nodes: { target: unknown[]; failureSummary?: string }[];
          }[];
        }>;
      };
    };
    const result = await g.axe.run({ resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`),
    }));
  });
}

/** Violations axe rates serious or critical: the ones a test fails on. */
export function seriousViolations(violations: readonly AxeViolation[]): AxeViolation[] {
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

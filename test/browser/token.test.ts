import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserPerFile, collectPageErrors, newPage, signIn, waitForLoaded } from '../support/browser.ts';
import { DASHBOARD_TOKEN, startSmallLoop } from '../support/browser-loop.ts';
import type { Loop } from '../support/loop-harness.ts';
import { uniquePrefix } from '../support/redis.ts';

const SESSION = 'closeloop_session';
const CSRF = 'closeloop_csrf';

/** Everything behind the token: API, live events, metrics. */
const API_PATHS = [
  '/api/campaigns',
  '/api/campaigns.csv',
  '/api/campaigns/webinar',
  '/api/campaigns/webinar/leads',
  '/api/campaigns/webinar/spend',
  '/api/calibration',
  '/api/portal',
  '/api/events',
  '/metrics',
];
/** The dashboard's pages and scripts: a browser is sent to the login form instead. */
const PAGE_PATHS = [
  '/',
  '/campaigns/webinar',
  '/assets/dashboard.js',
  '/assets/campaign.js',
  '/assets/table.js',
  '/assets/format.js',
  '/assets/charts.js',
  '/assets/styles.css',
  '/assets/vendor/chart.umd.js',
];

describe('the dashboard behind DASHBOARD_TOKEN', () => {
  const browser = browserPerFile();
  let loop: Loop;
  const contexts: BrowserContext[] = [];
  const url = (path: string) => `${loop.server.url}${path}`;
  const fresh = async (): Promise<Page> => {
    const { context, page } = await newPage(browser());
    contexts.push(context);
    return page;
  };

  beforeAll(async () => {
    loop = await startSmallLoop(uniquePrefix(import.meta.filename), { token: true });
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await loop?.stop();
  });

  it('answers 401 on the API and sends pages to /login, giving away no data', async () => {
    for (const path of API_PATHS) {
      const response = await fetch(url(path), { redirect: 'manual' });
      expect(response.status, path).toBe(401);
      const body = await response.text();
      expect(body, path).not.toMatch(/webinar|revenue|portalId/i);
    }
    for (const path of PAGE_PATHS) {
      const response = await fetch(url(path), { redirect: 'manual' });
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location'), path).toBe(`/login?next=${encodeURIComponent(path)}`);
      // Only Express's one-line redirect notice: no page, script or style.
      expect(await response.text(), path).toBe(
        `See Other. Redirecting to ${response.headers.get('location')}`,
      );
    }
    // A wrong bearer token is no better than none.
    const wrong = await fetch(url('/api/campaigns'), {
      headers: { authorization: 'Bearer not-the-token-123' },
    });
    expect(wrong.status).toBe(401);
  });

  it('shows only the login form to a browser that has not signed in', async () => {
    const page = await fresh();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await page.goto(url('/'));
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/');
    await expect.poll(() => page.getByLabel('Dashboard token').isVisible()).toBe(true);
    expect(await page.locator('#failed').isHidden()).toBe(true);
    expect(new Set(requested)).toEqual(new Set(['/', '/login', '/login.css', '/login.js']));
    expect(await page.content()).not.toMatch(/webinar/);
    const api = await page.goto(url('/api/campaigns'));
    expect(api?.status()).toBe(401);
  });

  it('rejects a wrong token with an error and sets no session', async () => {
    const page = await fresh();
    const errors = collectPageErrors(page);
    await signIn(page, loop.server.url, 'definitely-not-the-token');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('failed')).toBe('1');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.isVisible()).toBe(true);
    expect(await alert.textContent()).toBe('That token is not right.');
    expect((await page.context().cookies()).map((cookie) => cookie.name)).toEqual([]);
    // Trying again still cannot reach the dashboard.
    await page.goto(url('/'));
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(errors).toEqual([]);
  });

  it('lands on the dashboard with the right token, with an HttpOnly SameSite=Strict session', async () => {
    const page = await fresh();
    const errors = collectPageErrors(page);
    await page.goto(url('/'));
    await page.getByLabel('Dashboard token').fill(DASHBOARD_TOKEN);
    await Promise.all([page.waitForURL(url('/')), page.getByRole('button', { name: 'Sign in' }).click()]);
    await waitForLoaded(page);
    expect(await page.locator('#campaigns tbody tr[data-campaign="webinar"]').count()).toBe(1);

    const cookies = await page.context().cookies();
    const session = cookies.find((cookie) => cookie.name === SESSION);
    const csrf = cookies.find((cookie) => cookie.name === CSRF);
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(csrf).toMatchObject({ httpOnly: false, sameSite: 'Strict', path: '/' });
    // The cookie holds a value derived from the token, never the token itself.
    expect(session?.value).not.toContain(DASHBOARD_TOKEN);
    // Scripts in the page cannot read the session cookie, only the CSRF one.
    const visible = await page.evaluate(
      () => (globalThis as unknown as { document: { cookie: string } }).document.cookie,
    );
    expect(visible).toContain(`${CSRF}=`);
    expect(visible).not.toContain(SESSION);
    expect(errors).toEqual([]);
  });

  it('sets the cookies with HttpOnly and SameSite=Strict on the wire, and follows ?next= on this site only', async () => {
    const login = (next: string) =>
      fetch(url('/login'), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: DASHBOARD_TOKEN, next }),
      });
    const response = await login('/campaigns/webinar');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/campaigns/webinar');
    const setCookies = response.headers.getSetCookie();
    const session = setCookies.find((cookie) => cookie.startsWith(`${SESSION}=`));
    expect(session).toMatch(/; HttpOnly(;|$)/);
    expect(session).toMatch(/; SameSite=Strict(;|$)/);
    expect(setCookies.find((cookie) => cookie.startsWith(`${CSRF}=`))).toMatch(/; SameSite=Strict(;|$)/);
    expect((await login('//evil.example/')).headers.get('location')).toBe('/');
    expect((await login('https://evil.example/')).headers.get('location')).toBe('/');
  });

  it('returns to the page asked for after signing in', async () => {
    const page = await fresh();
    await page.goto(url('/campaigns/webinar'));
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Dashboard token').fill(DASHBOARD_TOKEN);
    await Promise.all([
      page.waitForURL(url('/campaigns/webinar')),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await waitForLoaded(page);
    expect(await page.locator('h1').textContent()).toBe('webinar');
  });

  it('serves the API to the bearer token', async () => {
    const response = await fetch(url('/api/campaigns'), {
      headers: { authorization: `Bearer ${DASHBOARD_TOKEN}` },
    });
    expect(response.status).toBe(200);
    const rows = (await response.json()) as { campaign: string; leads: number }[];
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ campaign: 'webinar', leads: 40 }),
        expect.objectContaining({ campaign: 'ads', leads: 12 }),
      ]),
    );
    // A bearer token is not a cookie a browser sends by itself: no CSRF header needed for writes.
    const put = await fetch(url('/api/campaigns/ads/spend'), {
      method: 'PUT',
      headers: { authorization: `Bearer ${DASHBOARD_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ month: '2026-01', amount: 100 }]),
    });
    expect(put.status).toBe(204);
  });

  it('takes cookie-authenticated writes only with the CSRF header, as the spend form sends it', async () => {
    const page = await fresh();
    const errors = collectPageErrors(page);
    await signIn(page, loop.server.url, DASHBOARD_TOKEN, '/campaigns/webinar');
    await waitForLoaded(page);
    const put = (withHeader: boolean) =>
      page.evaluate(async (csrf) => {
        const g = globalThis as unknown as {
          document: { cookie: string };
          fetch: (url: string, init: unknown) => Promise<{ status: number }>;
        };
        const token = /(?:^|;\s*)closeloop_csrf=([^;]+)/.exec(g.document.cookie)?.[1] ?? '';
        const response = await g.fetch('/api/campaigns/webinar/spend', {
          method: 'PUT',
          headers: { 'content-type': 'application/json', ...(csrf ? { 'x-closeloop-csrf': token } : {}) },
          body: JSON.stringify([{ month: '2026-02', amount: 250 }]),
        });
        return response.status;
      }, withHeader);
    expect(await put(false)).toBe(403);
    expect(await put(true)).toBe(204);

    // The page's own form: it reads the CSRF cookie and sends it back in the header.
    await page.getByLabel('Month').fill('2026-03');
    await page.getByLabel('Amount').fill('1234.5');
    const [request, response] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'PUT' && r.url().endsWith('/api/campaigns/webinar/spend')),
      page.waitForResponse((r) => r.request().method() === 'PUT'),
      page.getByRole('button', { name: 'Set spend for this month' }).click(),
    ]);
    const csrf = (await page.context().cookies()).find((cookie) => cookie.name === CSRF)?.value;
    expect(request.headers()['x-closeloop-csrf']).toBe(csrf);
    expect(response.status()).toBe(204);
    await expect.poll(() => page.locator('#spend-status').textContent()).toBe('Spend for 2026-03 saved.');
    const saved = await fetch(url('/api/campaigns/webinar/spend'), {
      headers: { authorization: `Bearer ${DASHBOARD_TOKEN}` },
    });
    expect(await saved.json()).toEqual([
      { from: '2026-02-01', to: '2026-02-28', amount: 250 },
      { from: '2026-03-01', to: '2026-03-31', amount: 1234.5 },
    ]);

    // With the cookies but from another site: refused even with the right header.
    const cookieHeader = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const withCookies = (site: Record<string, string>) =>
      fetch(url('/api/campaigns/webinar/spend'), {
        method: 'PUT',
        headers: {
          cookie: cookieHeader,
          'x-closeloop-csrf': csrf ?? '',
          'content-type': 'application/json',
          ...site,
        },
        body: JSON.stringify([{ month: '2026-03', amount: 1 }]),
      });
    expect((await withCookies({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await withCookies({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
    // The same request from this very site (or a client that sends no Sec-Fetch-Site) is taken.
    expect((await withCookies({ 'sec-fetch-site': 'same-origin' })).status).toBe(204);
    // The one error the page saw is the refused write made without the header.
    expect(errors).toEqual([
      'console: Failed to load resource: the server responded with a status of 403 (Forbidden)',
    ]);
  }, 60_000);

  it('signs out: the cookies go and the dashboard is locked again', async () => {
    const page = await fresh();
    await signIn(page, loop.server.url, DASHBOARD_TOKEN);
    await waitForLoaded(page);
    await Promise.all([
      page.waitForURL(url('/login')),
      page.getByRole('button', { name: 'Sign out' }).click(),
    ]);
    expect((await page.context().cookies()).map((cookie) => cookie.name)).toEqual([]);
    await page.goto(url('/'));
    expect(new URL(page.url()).pathname).toBe('/login');
  });
});

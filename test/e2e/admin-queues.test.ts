import { createHash } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { SCRIPTED_STYLES } from '../../src/http/admin-queues.ts';
import { createLogger } from '../../src/logger.ts';
import { QUEUE_NAMES } from '../../src/queue.ts';
import { connectRedis } from '../../src/redis.ts';
import { type RunningServer, startServer } from '../../src/serve.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';

const TOKEN = 'board-dashboard-token-8f2a1';
// Deliberately not the address the tests call: the Origin check compares with PUBLIC_BASE_URL.
const PUBLIC_ORIGIN = 'https://closeloop.example.com';
/** The policy every other route has had since the dashboard was added: the board must not change it. */
const APP_CSP =
  "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';" +
  "img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';" +
  "style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests;connect-src 'self'";

interface BoardQueue {
  name: string;
  counts: Record<string, number>;
  isPaused: boolean;
}

const QUEUES = Object.values(QUEUE_NAMES);
const prefix = uniquePrefix(import.meta.filename);
const serve = (env: Record<string, string>) =>
  startServer(
    loadConfig({
      HUBSPOT_CLIENT_SECRET: 'board-client-secret-1234',
      PUBLIC_BASE_URL: PUBLIC_ORIGIN,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      PORT: '0',
      ...env,
    }),
    createLogger({ level: 'silent' }),
  );

/** Takes the next waiting job of `name` as a worker would and fails it for good. */
async function failNextJob(redis: Redis, name: string, reason: string): Promise<string> {
  const worker = new Worker(name, null, { connection: redis, prefix, autorun: false });
  try {
    const job = await worker.getNextJob('board-test-token', { block: false });
    if (!job?.id) throw new Error(`no waiting job in ${name}`);
    await job.moveToFailed(new Error(reason), 'board-test-token', false);
    return job.id;
  } finally {
    await worker.close();
  }
}

describe('the BullMQ board at /admin/queues', () => {
  let server: RunningServer;
  let redis: Redis;
  let queues: Record<string, Queue>;
  let cookie: string;
  let failedId: string;
  const url = (path: string) => `${server.url}${path}`;
  const bearer = { authorization: `Bearer ${TOKEN}` };
  const boardQueues = async (headers: Record<string, string>) => {
    const response = await fetch(url('/admin/queues/api/queues'), { headers });
    expect(response.status).toBe(200);
    return ((await response.json()) as { queues: BoardQueue[] }).queues;
  };

  beforeAll(async () => {
    server = await serve({ DASHBOARD_TOKEN: TOKEN });
    redis = connectRedis(TEST_REDIS_URL, 'worker');
    queues = Object.fromEntries(QUEUES.map((name) => [name, new Queue(name, { connection: redis, prefix })]));
    const add = (name: string, count: number, opts = {}) =>
      Promise.all(Array.from({ length: count }, (_, i) => queues[name]?.add(`${name}-${i}`, { i }, opts)));
    await add('events', 3);
    await add('sync', 2);
    await add('score', 1, { delay: 3_600_000 });
    await add('writeback', 2);
    failedId = await failNextJob(redis, 'writeback', 'HubSpot refused the batch');
    await add('backfill', 1);
    const login = await fetch(url('/login'), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: TOKEN, next: '/admin/queues' }),
    });
    expect(login.headers.get('location')).toBe('/admin/queues');
    cookie = login.headers
      .getSetCookie()
      .map((setCookie) => setCookie.split(';')[0])
      .join('; ');
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all(Object.values(queues ?? {}).map((queue) => queue.close()));
    redis?.disconnect();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  it('sends a browser without a session to the login page and answers its API with 401', async () => {
    for (const path of [
      '/admin/queues',
      '/admin/queues/queue/events',
      '/admin/queues/static/images/logo.svg',
    ]) {
      const response = await fetch(url(path), { redirect: 'manual' });
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location'), path).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    for (const headers of [{}, { authorization: 'Bearer not-the-token-123' }]) {
      const api = await fetch(url('/admin/queues/api/queues'), { headers, redirect: 'manual' });
      expect(api.status).toBe(401);
      expect(await api.json()).toEqual({
        error: 'unauthorized',
        message: 'A valid dashboard token is required',
      });
    }
    const write = await fetch(url(`/admin/queues/api/queues/writeback/${failedId}/retry`), {
      method: 'PUT',
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(write.status).toBe(401);
    expect(await queues.writeback?.getJobState(failedId)).toBe('failed');
  });

  it('lists every closeloop queue with the counts of the jobs in them', async () => {
    const listed = await boardQueues(bearer);
    expect(listed.map((queue) => queue.name).sort()).toEqual([...QUEUES].sort());
    const counts = Object.fromEntries(listed.map((queue) => [queue.name, queue.counts]));
    const none = { waiting: 0, active: 0, failed: 0, delayed: 0, completed: 0 };
    const expected: Record<string, Record<string, number>> = {
      events: { ...none, waiting: 3 },
      sync: { ...none, waiting: 2 },
      score: { ...none, delayed: 1 },
      writeback: { ...none, waiting: 1, failed: 1 },
      backfill: { ...none, waiting: 1 },
    };
    for (const name of QUEUES) expect(counts[name], name).toMatchObject(expected[name] ?? none);
    // The session cookie reads the same board.
    expect((await boardQueues({ cookie })).map((queue) => queue.name).sort()).toEqual([...QUEUES].sort());
  });

  it('refuses cookie writes from another origin and takes them from this one', async () => {
    const retry = (headers: Record<string, string>) =>
      fetch(url(`/admin/queues/api/queues/writeback/${failedId}/retry`), {
        method: 'PUT',
        headers: { cookie, ...headers },
      });
    const notThisOrigin: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      {},
    ];
    for (const crossSite of notThisOrigin) {
      const refused = await retry(crossSite);
      expect(refused.status, JSON.stringify(crossSite)).toBe(403);
      expect(((await refused.json()) as { error: string }).error).toBe('cross_origin');
    }
    expect(await queues.writeback?.getJobState(failedId)).toBe('failed');

    expect((await retry({ 'sec-fetch-site': 'same-origin' })).status).toBe(204);
    expect(await queues.writeback?.getJobState(failedId)).toBe('waiting');
    const writeback = (await boardQueues(bearer)).find((queue) => queue.name === 'writeback');
    expect(writeback?.counts).toMatchObject({ waiting: 2, failed: 0 });

    // A client that sends no Sec-Fetch-Site proves its origin with Origin, PUBLIC_BASE_URL's.
    const pause = await fetch(url('/admin/queues/api/queues/stats/pause'), {
      method: 'PUT',
      headers: { cookie, origin: PUBLIC_ORIGIN },
    });
    expect(pause.status).toBe(200);
    expect(await queues.stats?.isPaused()).toBe(true);
  });

  it('takes writes with the bearer token without an origin check', async () => {
    const resume = await fetch(url('/admin/queues/api/queues/stats/resume'), {
      method: 'PUT',
      headers: bearer,
    });
    expect(resume.status).toBe(200);
    expect(await queues.stats?.isPaused()).toBe(false);
  });

  it('serves the board with its own narrow policy, allowing its inline styles by hash only', async () => {
    const page = await fetch(url('/admin/queues'), { headers: bearer });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<base href="/admin/queues/" />');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    const csp = page.headers.get('content-security-policy') ?? '';
    const directives = new Map(csp.split(';').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('script-src-attr')).toEqual(["'none'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('font-src')).toEqual(["'self'"]);
    expect(csp).not.toContain('unsafe-inline');
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const attributes = [...html.matchAll(/\sstyle="([^"]*)"/g)].map((m) => hash(m[1] ?? ''));
    const elements = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => hash(m[1] ?? ''));
    expect(attributes.length).toBeGreaterThan(0);
    expect(directives.get('style-src-attr')).toEqual(["'unsafe-hashes'", ...new Set(attributes)]);
    expect(directives.get('style-src-elem')).toEqual(["'self'", ...elements, ...SCRIPTED_STYLES.map(hash)]);
    // The page's own scripts and styles are served (under the same policy).
    const script = /<script defer src="([^"]+)"/.exec(html)?.[1];
    const asset = await fetch(url(`/admin/queues/${script}`), { headers: bearer });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
  });

  it("leaves every other route's policy as it was", async () => {
    for (const [path, headers] of [
      ['/login', {}],
      ['/', bearer],
      ['/api/campaigns', bearer],
    ] as const) {
      const response = await fetch(url(path), { headers });
      expect(response.headers.get('content-security-policy'), path).toBe(APP_CSP);
    }
  });

  it('is open without DASHBOARD_TOKEN, like the dashboard, but still refuses cross-site writes', async () => {
    const open = await serve({});
    try {
      expect((await fetch(`${open.url}/admin/queues`, { redirect: 'manual' })).status).toBe(200);
      const listed = await fetch(`${open.url}/admin/queues/api/queues`);
      expect(((await listed.json()) as { queues: BoardQueue[] }).queues).toHaveLength(QUEUES.length);
      const pause = (headers: Record<string, string>) =>
        fetch(`${open.url}/admin/queues/api/queues/stats/pause`, { method: 'PUT', headers });
      expect((await pause({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
      expect(await queues.stats?.isPaused()).toBe(false);
      expect((await pause({ 'sec-fetch-site': 'same-origin' })).status).toBe(200);
      expect(await queues.stats?.isPaused()).toBe(true);
    } finally {
      await open.close();
    }
  });
});

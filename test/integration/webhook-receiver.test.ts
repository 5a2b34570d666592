import { type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { deliveryJobSchema } from '../../src/queue.ts';
import { type RunningServer, startServer } from '../../src/serve.ts';
import { claimEvents } from '../../src/store/seen-marks.ts';
import { freePort, type PrivateRedis, startPrivateRedis } from '../support/private-redis.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';
import { hubspotV3Headers } from '../support/sign.ts';

const SECRET = 'client-secret-canary-0b7f9c';
const PUBLIC_BASE_URL = 'https://closeloop.example.com';
const SIGNED_URL = `${PUBLIC_BASE_URL}/webhooks/hubspot`;
const logger = createLogger({ level: 'silent' });

/** The ids the delivery jobs take, in the order they were added, as the workers would claim them. */
async function claimedIds(client: Redis, prefix: string, jobs: Job[]): Promise<string[]> {
  const taken: string[] = [];
  for (const job of [...jobs].sort((a, b) => a.timestamp - b.timestamp)) {
    const data = deliveryJobSchema.parse(job.data);
    const claimed = await claimEvents(client, prefix, String(job.id), data.keys ?? [], 600);
    data.events.forEach((change, index) => {
      if (claimed[index] && 'id' in change) taken.push(change.id);
    });
  }
  return taken;
}

function configFor(redisUrl: string, prefix: string, extra: Record<string, string> = {}) {
  return loadConfig({
    HUBSPOT_CLIENT_SECRET: SECRET,
    PUBLIC_BASE_URL,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    PORT: '0',
    LOG_LEVEL: 'silent',
    ...extra,
  });
}

let nextEventId = 1;
function event(overrides: Record<string, unknown> = {}) {
  return {
    eventId: nextEventId++,
    subscriptionId: 100,
    portalId: 62515,
    appId: 7,
    occurredAt: Date.now(),
    subscriptionType: 'object.creation',
    objectTypeId: '0-1',
    objectId: 1000 + nextEventId,
    attemptNumber: 0,
    changeSource: 'CRM_UI',
    ...overrides,
  };
}

async function deliver(
  server: RunningServer,
  body: string,
  headers = hubspotV3Headers(SECRET, SIGNED_URL, body),
) {
  return fetch(`${server.url}/webhooks/hubspot`, { method: 'POST', body, headers });
}

describe('webhook receiver with Redis up', () => {
  const prefix = uniquePrefix(import.meta.filename);
  let server: RunningServer;
  let queue: Queue;
  const client = new Redis(TEST_REDIS_URL);

  beforeAll(async () => {
    server = await startServer(configFor(TEST_REDIS_URL, prefix), logger);
    queue = new Queue('events', { connection: { url: TEST_REDIS_URL }, prefix });
  });
  afterAll(async () => {
    await server.close();
    await queue.close();
    client.disconnect();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  async function waitingJobs() {
    return queue.getJobs(['waiting']);
  }

  it('answers 204 and enqueues one job per delivery, carrying ids only', async () => {
    const events = [
      event({ objectId: 5 }),
      event({
        subscriptionType: 'object.propertyChange',
        objectId: 5,
        propertyName: 'lifecyclestage',
        propertyValue: 'lead',
      }),
      event({
        subscriptionType: 'object.propertyChange',
        objectId: 5,
        propertyName: 'email',
        propertyValue: 'x@example.com',
      }),
    ];
    const response = await deliver(server, JSON.stringify(events));
    expect(response.status).toBe(204);
    const jobs = await waitingJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.data.events).toEqual([
      { kind: 'changed', portal: 62515, object: 'contact', id: '5', at: events[0]?.occurredAt },
      { kind: 'changed', portal: 62515, object: 'contact', id: '5', at: events[1]?.occurredAt },
    ]);
    expect(JSON.stringify(jobs[0]?.data)).not.toMatch(/example\.com|lead|canary/);
  });

  it('enqueues every delivery with its events’ identities, so the jobs take a repeated event once', async () => {
    const before = (await waitingJobs()).length;
    const first = [event({ objectId: 61 }), event({ objectId: 62 })];
    expect((await deliver(server, JSON.stringify(first))).status).toBe(204);
    expect(
      (await deliver(server, JSON.stringify(first.map((e) => ({ ...e, attemptNumber: 1 }))))).status,
    ).toBe(204);
    const overlapping = [first[1], event({ objectId: 63 })];
    expect((await deliver(server, JSON.stringify(overlapping))).status).toBe(204);
    const jobs = (await waitingJobs()).slice(0, (await waitingJobs()).length - before);
    expect(jobs).toHaveLength(3);
    expect((await claimedIds(client, prefix, jobs)).sort()).toEqual(['61', '62', '63']);
  });

  it('takes deliveries to the path with a trailing slash or in other letter case, signed as sent', async () => {
    const before = (await waitingJobs()).length;
    for (const path of ['/webhooks/hubspot/', '/Webhooks/HubSpot', '/webhooks/hubspot/?x=1']) {
      const body = JSON.stringify([event({ objectId: 81 })]);
      const headers = hubspotV3Headers(SECRET, `${PUBLIC_BASE_URL}${path}`, body);
      const response = await fetch(`${server.url}${path}`, { method: 'POST', body, headers });
      expect(response.status).toBe(204);
    }
    expect((await waitingJobs()).length - before).toBe(3);
    // Not the receiver's: another path is the app's, and unknown there.
    const other = await fetch(`${server.url}/webhooks/hubspotx`, { method: 'POST', body: '[]' });
    expect(other.status).toBe(404);
  });

  it('answers 204 without a job when no event is of use', async () => {
    const before = (await waitingJobs()).length;
    const body = JSON.stringify([
      event({ objectTypeId: '0-2' }),
      event({ subscriptionType: 'object.propertyChange', propertyName: 'closeloop_lead_score' }),
    ]);
    expect((await deliver(server, body)).status).toBe(204);
    expect(await waitingJobs()).toHaveLength(before);
  });

  it.each([
    [
      'no signature',
      (_body: string) => ({
        'content-type': 'application/json',
        'x-hubspot-request-timestamp': String(Date.now()),
      }),
      401,
    ],
    ['a tampered body', (body: string) => hubspotV3Headers(SECRET, SIGNED_URL, `${body} `), 401],
    ['the wrong secret', (body: string) => hubspotV3Headers('another-secret', SIGNED_URL, body), 401],
    [
      'a stale timestamp',
      (body: string) => hubspotV3Headers(SECRET, SIGNED_URL, body, Date.now() - 301_000),
      401,
    ],
    [
      'a URL signed from the Host header',
      (body: string) => hubspotV3Headers(SECRET, 'http://127.0.0.1/webhooks/hubspot', body),
      401,
    ],
    [
      'a non-JSON content type',
      (body: string) => ({ ...hubspotV3Headers(SECRET, SIGNED_URL, body), 'content-type': 'text/plain' }),
      415,
    ],
  ])('rejects %s', async (_name, headersFor, status) => {
    const before = (await waitingJobs()).length;
    const body = JSON.stringify([event()]);
    const response = await deliver(server, body, headersFor(body) as ReturnType<typeof hubspotV3Headers>);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error: expect.any(String), message: expect.any(String) });
    expect(await waitingJobs()).toHaveLength(before);
  });

  it.each([
    ['invalid JSON', '[{"eventId": 1,', /not valid JSON/],
    ['a JSON object', '{"eventId": 1}', /not an array of HubSpot webhook events/],
    ['an event without portalId', JSON.stringify([{ ...event(), portalId: undefined }]), /portalId/],
  ])('answers 400 with a clear message for %s', async (_name, body, message) => {
    const response = await deliver(server, body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(message);
  });

  it('answers 413 above 1 MB without reading on', async () => {
    const body = JSON.stringify([{ ...event(), padding: 'x'.repeat(1024 * 1024) }]);
    expect((await deliver(server, body)).status).toBe(413);
  });

  it('reports health, readiness and metrics', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', redis: 'ok' });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(
      /closeloop_http_requests_total\{method="POST",route="\/webhooks\/hubspot",status="204"\} \d+/,
    );
    expect(metrics).toMatch(/closeloop_webhook_events_total\{outcome="enqueued"\} [1-9]/);
    expect(metrics).toMatch(/closeloop_queue_jobs\{queue="events",state="waiting"\} [1-9]/);
    expect(metrics).toMatch(/closeloop_webhook_enqueue_seconds_count [1-9]/);
  });

  it("reports when HubSpot's daily budget is spent", async () => {
    const redis = new Redis(TEST_REDIS_URL);
    const reset = Date.UTC(2026, 10, 23, 5);
    await redis.set(`${prefix}:budget:daily-spent`, String(reset));
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    await redis.del(`${prefix}:budget:daily-spent`);
    redis.disconnect();
    expect(metrics).toContain(`closeloop_hubspot_daily_limit_resets_at_seconds ${reset / 1000}`);
  });

  it('keeps the client secret out of Redis', async () => {
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    const dump = await Promise.all(
      keys.map(async (key) => `${key} ${JSON.stringify(await redis.dump(key))}`),
    );
    redis.disconnect();
    expect(dump.join('\n')).not.toContain(SECRET);
  });
});

describe('webhook receiver with deduplication off', () => {
  const prefix = uniquePrefix(`${import.meta.filename}-nodedupe`);
  let server: RunningServer;
  let queue: Queue;
  beforeAll(async () => {
    server = await startServer(
      configFor(TEST_REDIS_URL, prefix, { WEBHOOK_DEDUPE_WINDOW_SECONDS: '0' }),
      logger,
    );
    queue = new Queue('events', { connection: { url: TEST_REDIS_URL }, prefix });
  });
  afterAll(async () => {
    await server.close();
    await queue.close();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  it('enqueues every delivery', async () => {
    const body = JSON.stringify([event()]);
    await deliver(server, body);
    await deliver(server, body);
    expect(await queue.getJobs(['waiting'])).toHaveLength(2);
  });
});

describe('webhook receiver when Redis is away', () => {
  it('answers 503 at once when nothing listens on the Redis port, and readiness fails', async () => {
    const port = await freePort();
    const server = await startServer(configFor(`redis://127.0.0.1:${port}`, 'unused'), logger);
    try {
      const response = await deliver(server, JSON.stringify([event()]));
      expect(response.status).toBe(503);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  describe('paused (SIGSTOP)', () => {
    let redis: PrivateRedis;
    beforeAll(async () => {
      redis = await startPrivateRedis();
    });
    afterAll(async () => {
      await redis.stop();
    });

    it('answers 503, and the retry after it is neither lost nor doubled', async () => {
      const server = await startServer(configFor(redis.url, 'paused'), logger);
      const queue = new Queue('events', { connection: { url: redis.url }, prefix: 'paused' });
      try {
        await queue.waitUntilReady();
        const events = [event({ objectId: 71 })];
        redis.pause();
        const refused = await deliver(server, JSON.stringify(events));
        expect(refused.status).toBe(503);
        redis.resume();
        let retried = await deliver(server, JSON.stringify(events.map((e) => ({ ...e, attemptNumber: 1 }))));
        for (let attempt = 0; retried.status === 503 && attempt < 50; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          retried = await deliver(server, JSON.stringify(events.map((e) => ({ ...e, attemptNumber: 2 }))));
        }
        expect(retried.status).toBe(204);
        // The refused delivery's job may have been added after its 503: the retry's then takes nothing.
        const jobs = await queue.getJobs(['waiting']);
        const client = new Redis(redis.url);
        try {
          expect(await claimedIds(client, 'paused', jobs)).toEqual(['71']);
        } finally {
          client.disconnect();
        }
      } finally {
        await server.close();
        await queue.close();
      }
    });
  });
});

import { Queue } from 'bullmq';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { deliveryJobSchema } from '../../src/queue.ts';
import { type RunningServer, startServer } from '../../src/serve.ts';
import { type PrivateRedis, startPrivateRedis } from '../support/private-redis.ts';
import { configureFuzzing, FUZZ_TIMEOUT_MS } from './support/fuzz-settings.ts';
import { type RawRequest, sendRaw } from './support/raw-http.ts';
import {
  arbitraryBody,
  isEmptyDelivery,
  malformedDelivery,
  plainQuery,
  validDelivery,
  withFreshEventIds,
} from './support/webhook-arbitraries.ts';
import {
  type Enqueued,
  enqueued,
  type Header,
  signedHeaders,
  signV3,
  WEBHOOK_PATH,
} from './support/webhook-client.ts';
import { headerMutation, signatureBreaker, strangeRequest } from './support/webhook-mutations.ts';

const SECRET = 'fuzz-client-secret-5e1a';
const PUBLIC_BASE_URL = 'https://closeloop.example.com';
const prefix = 'fuzz';
const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

configureFuzzing();

describe('the webhook receiver under fuzzing', { timeout: FUZZ_TIMEOUT_MS }, () => {
  let server: RunningServer;
  let port: number;
  let queue: Queue;
  let redis: Redis;
  let privateRedis: PrivateRedis;
  const snapshot = () => enqueued(redis, queue, prefix);
  const send = (request: RawRequest) => sendRaw(port, request);
  const post = (target: string, headers: Header[], body: Buffer) =>
    send({ method: 'POST', target, headers: [...headers, ['Content-Length', String(body.length)]], body });
  const unchanged = (before: Enqueued, after: Enqueued) => expect(after).toEqual(before);

  beforeAll(async () => {
    // Its own Redis: counting seen-marks scans the keyspace, and the shared one holds millions of keys.
    privateRedis = await startPrivateRedis();
    const config = loadConfig({
      HUBSPOT_CLIENT_SECRET: SECRET,
      PUBLIC_BASE_URL,
      DASHBOARD_TOKEN: 'fuzz-dashboard-token-0c4b9e',
      REDIS_URL: privateRedis.url,
      REDIS_PREFIX: prefix,
      PORT: '0',
      // Two busy cores must not turn a slow Redis answer into a 503: only the input is tested here.
      WEBHOOK_REDIS_TIMEOUT_MS: '4000',
    });
    server = await startServer(config, createLogger({ level: 'silent' }));
    port = Number(new URL(server.url).port);
    redis = new Redis(privateRedis.url);
    queue = new Queue('events', { connection: redis, prefix });
  });
  afterAll(async () => {
    await server?.close();
    await queue?.close();
    redis?.disconnect();
    await privateRedis?.stop();
  });

  it('answers a validly signed delivery 204 with one job of ids only, whatever the query and proxy headers', async () => {
    await fc.assert(
      fc.asyncProperty(validDelivery, plainQuery, headerMutation.harmless, async (events, query, extra) => {
        const body = json(withFreshEventIds(events));
        const target = `${WEBHOOK_PATH}${query}`;
        const before = await snapshot();
        const response = await post(
          target,
          extra(signedHeaders(SECRET, `${PUBLIC_BASE_URL}${target}`, body)),
          body,
        );
        expect(response.statuses).toEqual([204]);
        const after = await snapshot();
        expect(after.jobs - before.jobs).toBe(1);
        const job = await queue.getJob(String(after.lastJobId));
        const data = deliveryJobSchema.parse(job?.data);
        // With its events' identities, for the job to claim them (deduplication).
        expect(data.keys).toHaveLength(data.events.length);
        expect(JSON.stringify(data)).not.toMatch(/propertyValue|changeSource|x_/);
      }),
      { numRuns: 300 },
    );
  });

  it('answers 401 and enqueues nothing for a missing, wrong, stale or misplaced signature', async () => {
    const anyBody = fc.oneof(validDelivery.map(json), malformedDelivery.map(json), arbitraryBody);
    await fc.assert(
      fc.asyncProperty(anyBody, plainQuery, signatureBreaker, async (body, query, breaker) => {
        const target = `${WEBHOOK_PATH}${query}`;
        const before = await snapshot();
        const headers = breaker(SECRET, `${PUBLIC_BASE_URL}${target}`, body);
        const response = await post(target, headers, body);
        expect(response.statuses).toEqual([401]);
        expect(response.text).toMatch(/"error":"invalid_signature"/);
        unchanged(before, await snapshot());
      }),
      { numRuns: 400 },
    );
  });

  it('answers a validly signed but malformed body 400 and enqueues nothing', async () => {
    const badBody = fc.oneof(
      malformedDelivery.map(json),
      arbitraryBody.filter((body) => !isEmptyDelivery(body)),
    );
    await fc.assert(
      fc.asyncProperty(badBody, plainQuery, async (body, query) => {
        const target = `${WEBHOOK_PATH}${query}`;
        const before = await snapshot();
        const response = await post(target, signedHeaders(SECRET, `${PUBLIC_BASE_URL}${target}`, body), body);
        expect(response.statuses).toEqual([400]);
        expect(response.text).toMatch(/"error":"bad_request"/);
        unchanged(before, await snapshot());
      }),
      { numRuns: 400 },
    );
  });

  it('never answers 5xx to any request at all, and queues nothing without a valid signature', async () => {
    await fc.assert(
      fc.asyncProperty(strangeRequest(SECRET, PUBLIC_BASE_URL), async ({ request, signed }) => {
        const before = await snapshot();
        const response = await send(request);
        for (const status of response.statuses) expect(status).toBeLessThan(500);
        const after = await snapshot();
        const accepted = response.statuses.filter((status) => status === 204).length;
        if (!signed) unchanged(before, after);
        else expect(after.jobs - before.jobs).toBeLessThanOrEqual(accepted);
      }),
      { numRuns: 600 },
    );
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('signs over the bytes received: a v3 signature of another method or body never passes', async () => {
    const body = json([{ ...fc.sample(validDelivery, 1)[0]?.[0] }]);
    const timestamp = String(Date.now());
    const url = `${PUBLIC_BASE_URL}${WEBHOOK_PATH}`;
    const before = await snapshot();
    for (const signature of [
      signV3(SECRET, 'GET', url, body, timestamp),
      signV3(SECRET, 'POST', url, Buffer.alloc(0), timestamp),
    ]) {
      const headers: Header[] = [
        ['Content-Type', 'application/json'],
        ['X-HubSpot-Signature-v3', signature],
        ['X-HubSpot-Request-Timestamp', timestamp],
      ];
      expect((await post(WEBHOOK_PATH, headers, body)).statuses).toEqual([401]);
    }
    unchanged(before, await snapshot());
  });
});

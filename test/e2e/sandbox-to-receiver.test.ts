import { type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { deliveryJobSchema } from '../../src/queue.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { type RunningServer, startServer } from '../../src/serve.ts';
import { claimEvents } from '../../src/store/seen-marks.ts';
import { freePort } from '../support/private-redis.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';

const SECRET = 'e2e-client-secret-4f1c';
const TOKEN = 'e2e-access-token-9a2b';

describe('the sandbox delivers signed webhooks that serve queues', () => {
  const prefix = uniquePrefix(import.meta.filename);
  let sandbox: RunningSandbox;
  let server: RunningServer;
  let queue: Queue;

  beforeAll(async () => {
    const port = await freePort();
    const publicBaseUrl = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      HUBSPOT_CLIENT_SECRET: SECRET,
      PUBLIC_BASE_URL: publicBaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      PORT: String(port),
    });
    server = await startServer(config, createLogger({ level: 'silent' }));
    sandbox = await startSandbox({
      accessToken: TOKEN,
      clientSecret: SECRET,
      webhookUrl: `${publicBaseUrl}/webhooks/hubspot`,
      requestsPer10s: 0,
      webhookBatchMs: 20,
      webhookBackoffScale: 0.0001,
    });
    queue = new Queue('events', { connection: { url: TEST_REDIS_URL }, prefix });
  });
  afterAll(async () => {
    await sandbox.close();
    await server.close();
    await queue.close();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  async function api(path: string, body: unknown) {
    const response = await fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as { id: string };
  }

  it('turns a contact, a deal and their association into one or more jobs with ids only', async () => {
    const contact = await api('/crm/v3/objects/contacts', {
      properties: { email: 'e2e@example.com', lifecyclestage: 'lead' },
    });
    const deal = await api('/crm/v3/objects/deals', {
      properties: { dealname: 'E2E', pipeline: 'default', dealstage: 'appointmentscheduled' },
    });
    const link = await fetch(
      `${sandbox.url}/crm/v4/objects/contacts/${contact.id}/associations/default/deals/${deal.id}`,
      {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}` },
      },
    );
    expect(link.status).toBe(200);
    await sandbox.waitForWebhooksIdle();

    const stats = sandbox.stats();
    expect(stats.webhooks.failed).toBe(0);
    expect(stats.webhooks.delivered).toBeGreaterThan(0);
    const jobs = await queue.getJobs(['waiting']);
    const events = jobs.flatMap((job) => job.data.events as Array<Record<string, unknown>>);
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'changed', object: 'contact', id: contact.id }),
        expect.objectContaining({ kind: 'changed', object: 'deal', id: deal.id }),
        expect.objectContaining({
          kind: 'associationChanged',
          contactId: contact.id,
          dealId: deal.id,
          removed: false,
        }),
      ]),
    );
    expect(JSON.stringify(events)).not.toContain('e2e@example.com');
  });

  it('queues every replayed webhook with its events’ identities, and the replays’ jobs take none of them', async () => {
    const byAge = (jobs: Job[]) => [...jobs].sort((a, b) => a.timestamp - b.timestamp);
    const originals = byAge(await queue.getJobs(['waiting']));
    const replay = await fetch(`${sandbox.url}/__sandbox/webhooks/replay`, { method: 'POST' });
    expect(replay.status).toBeLessThan(300);
    await sandbox.waitForWebhooksIdle();
    expect(sandbox.stats().webhooks.failed).toBe(0);
    const known = new Set(originals.map((job) => job.id));
    const replays = byAge(await queue.getJobs(['waiting'])).filter((job) => !known.has(job.id));
    expect(replays.length).toBeGreaterThan(0);
    const client = new Redis(TEST_REDIS_URL);
    try {
      const claim = async (job: Job) => {
        const data = deliveryJobSchema.parse(job.data);
        return claimEvents(client, prefix, String(job.id), data.keys ?? [], 3600);
      };
      for (const job of originals) expect((await claim(job)).every(Boolean)).toBe(true);
      for (const job of replays) expect((await claim(job)).some(Boolean)).toBe(false);
    } finally {
      client.disconnect();
    }
  });
});

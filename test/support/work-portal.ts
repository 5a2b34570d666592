import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { backfill } from '../../jobs/backfill.ts';
import { currentGeneration, scheduler } from '../../jobs/context.ts';
import { waitUntilSettled } from '../../src/commands/settled.ts';
import { setup } from '../../src/commands/setup.ts';
import { loadConfig } from '../../src/config.ts';
import { connectHubSpot } from '../../src/hubspot/connect.ts';
import { createLogger } from '../../src/logger.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { startServer } from '../../src/serve.ts';
import { type PortalKeys, portalKeys } from '../../src/store/keys.ts';
import { projection } from '../../src/store/projection.ts';
import { type CliProcess, spawnCli, waitUntilReady } from './cli-process.ts';
import { freePort } from './private-redis.ts';
import { TEST_REDIS_URL } from './redis.ts';

const TOKEN = 'work-portal-access-token-9e1f';
const SECRET = 'work-portal-client-secret-4c2d';
const logger = createLogger({ level: 'silent' });

/** 24 leads over two campaigns and three deals, seeded with webhooks so `work` has deliveries to sync. */
export function portalRecords() {
  const contacts = Array.from({ length: 24 }, (_, i) => ({
    id: String(i + 1),
    properties: {
      email: `s${i + 1}@example.com`,
      createdate: '2026-04-01T09:00:00.000Z',
      lifecyclestage: 'lead',
      hs_analytics_source: 'PAID_SEARCH',
      hs_analytics_source_data_1: i < 16 ? 'webinar' : 'ads',
    },
  }));
  const deal = (id: string, dealstage: string) => ({
    id,
    properties: {
      dealname: id,
      pipeline: 'default',
      dealstage,
      amount: '1000',
      closedate: '2026-06-01T09:00:00.000Z',
    },
  });
  const deals = [deal('801', 'closedwon'), deal('802', 'closedwon'), deal('803', 'closedlost')];
  const associations = ['1', '2', '17'].map((contactId, i) => ({ contactId, dealId: String(801 + i) }));
  return { contacts, deals, associations, emitWebhooks: true };
}

/**
 * The sandbox as HubSpot, `serve`'s receiver (in this process) taking its webhooks, the portal set
 * up, and real `closeloop work` processes on demand: stop() kills any still running.
 */
export async function startWorkPortal(prefix: string) {
  const port = await freePort();
  const sandbox = await startSandbox({
    accessToken: TOKEN,
    clientSecret: SECRET,
    webhookUrl: `http://127.0.0.1:${port}/webhooks/hubspot`,
    requestsPer10s: 0,
    webhookBatchMs: 20,
    webhookBackoffScale: 0.0005,
  });
  const env = {
    HUBSPOT_ACCESS_TOKEN: TOKEN,
    HUBSPOT_CLIENT_SECRET: SECRET,
    HUBSPOT_BASE_URL: sandbox.url,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    PORT: String(port),
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    HUBSPOT_REQUESTS_PER_10S: '2000',
    LOG_LEVEL: 'warn',
    // No sweep may repair what a shutdown lost: only the jobs themselves count.
    RECONCILE_INTERVAL_MINUTES: '0',
    RECONCILE_ID_SWEEP_HOURS: '0',
  };
  const config = loadConfig(env);
  const receiver = await startServer(config, logger);
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const http = connectHubSpot(config, redis, () => 'America/New_York');
  const { portal } = await setup(http, redis, prefix);
  const spawned: CliProcess[] = [];
  const admin = async (path: string, body: unknown) => {
    const response = await fetch(`${sandbox.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (response.status !== 200) throw new Error(`${path} → ${response.status} ${await response.text()}`);
  };
  const keys = portalKeys(prefix, portal.portalId);
  const sync = new Queue('sync', { connection: redis, prefix });
  return {
    sandbox,
    redis,
    prefix,
    keys,
    sync,
    admin,
    /** Every HubSpot call (not the sandbox's admin routes) takes `slowMs`; 0: normal speed. */
    slow: (slowMs: number) =>
      admin('/__sandbox/config', { failRate: slowMs ? 1 : 0, faults: ['slow'], slowMs }),
    /** A `closeloop work` process, once its `/readyz` answers 200. */
    async work(extra: Record<string, string>) {
      const workPort = await freePort();
      const cli = spawnCli('work', { ...env, WORK_PORT: String(workPort), ...extra });
      spawned.push(cli);
      const readyz = `http://127.0.0.1:${workPort}/readyz`;
      await waitUntilReady(readyz, cli);
      return { cli, readyz };
    },
    settle: () =>
      waitUntilSettled({
        redis,
        config,
        portal: portal.portalId,
        webhooksPending: () => sandbox.stats().webhooks.pending,
        timeoutMs: 30_000,
      }),
    /** Rebuilds the projection from HubSpot into a new generation and swaps it in. */
    async backfill() {
      const names = ['sync', 'score', 'writeback', 'stats'] as const;
      const queues = Object.fromEntries(
        names.map((name) => [name, new Queue(name, { connection: redis, prefix })]),
      );
      const schedule = scheduler(queues as Record<(typeof names)[number], Queue>);
      try {
        await backfill({ redis, http, config, logger, now: Date.now, schedule }, { reason: 'compare' });
      } finally {
        await Promise.all(Object.values(queues).map((queue) => queue.close()));
      }
    },
    snapshot: () => snapshot(redis, keys),
    async stop() {
      await Promise.all(spawned.map((cli) => cli.kill()));
      await sync.close();
      await receiver.close();
      await sandbox.close();
      redis.disconnect();
    },
  };
}

export type WorkPortal = Awaited<ReturnType<typeof startWorkPortal>>;

/** The live generation of the projection, order-free: records, and totals per campaign. */
async function snapshot(redis: Redis, keys: PortalKeys) {
  const store = projection(redis, keys.projection(await currentGeneration(redis, keys)));
  const records = async (scan: AsyncGenerator<[string, object][]>) => {
    const found: Record<string, Record<string, unknown>> = {};
    for await (const slice of scan)
      for (const [id, value] of slice) {
        const record = { ...value } as Record<string, unknown>;
        for (const list of ['dealIds', 'contactIds'])
          if (Array.isArray(record[list])) record[list] = [...record[list]].sort();
        found[id] = record;
      }
    return found;
  };
  const totals = (await store.totals()).sort((a, b) => String(a.campaign).localeCompare(String(b.campaign)));
  return { contacts: await records(store.scanContacts()), deals: await records(store.scanDeals()), totals };
}

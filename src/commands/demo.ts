import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { Redis } from 'ioredis';
import { loadConfig } from '../config.ts';
import { demoHubSpotCampaigns, demoSpend } from '../demo/demo-portal.ts';
import { generateDemoPortal } from '../demo/generate-portal.ts';
import { demoRedis } from '../demo/local-redis.ts';
import { createTrickle } from '../demo/trickle.ts';
import { campaignRows } from '../http/campaign-json.ts';
import { connectHubSpot } from '../hubspot/connect.ts';
import { createLogger } from '../logger.ts';
import { connectRedis, waitForRedis } from '../redis.ts';
import { type RunningSandbox, startSandbox } from '../sandbox/start-sandbox.ts';
import { startServer } from '../serve.ts';
import { portalKeys } from '../store/keys.ts';
import { loadPortalSettings } from '../store/portal-state.ts';
import { reportSource } from '../store/report-source.ts';
import { spendStore } from '../store/spend.ts';
import { runBackfill } from './backfill-command.ts';
import { formatCampaignTable } from './campaign-table.ts';
import { waitUntilSettled } from './settled.ts';
import { setup } from './setup.ts';
import { startWork } from './work.ts';

/** Its own key prefix (cleared at every start), so a demo never touches a real installation's keys. */
const DEMO_PREFIX = 'closeloop-demo';

/** The port if it is free, else any free port. */
function portOr(port: number): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(portOr(0)))
      .listen(port, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : port));
      });
  });
}

/** Calls per endpoint, 2xx and refused alike, as the sandbox counted them. */
function callsByEndpoint(sandbox: RunningSandbox): Map<string, number> {
  return new Map(
    Object.entries(sandbox.stats().calls).map(([endpoint, byStatus]) => [
      endpoint,
      Object.values(byStatus).reduce((a, b) => a + b, 0),
    ]),
  );
}

function describeCalls(after: Map<string, number>, before: Map<string, number> = new Map()): string {
  return [...after]
    .map(([endpoint, count]) => [endpoint, count - (before.get(endpoint) ?? 0)] as const)
    .filter(([, count]) => count > 0)
    .map(([endpoint, count]) => `  ${String(count).padStart(5)}  ${endpoint}`)
    .join('\n');
}

function totalCalls(sandbox: RunningSandbox): number {
  return Object.values(sandbox.stats().calls).reduce(
    (sum, byStatus) => sum + Object.values(byStatus).reduce((a, b) => a + b, 0),
    0,
  );
}

async function clearPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}

async function campaignTable(redis: Redis, prefix: string, horizonDays: number): Promise<string> {
  const source = await reportSource(redis, prefix, {}, Date.now(), horizonDays);
  return formatCampaignTable(source ? campaignRows(source, {}, horizonDays) : []);
}

/**
 * `closeloop demo`: one process — a Redis (found or started), the sandbox seeded with a realistic
 * portal, setup, backfill, serve and work, then live activity through signed webhooks.
 * `--once`: backfill, a short burst of live events, the campaign table, exit.
 */
export interface DemoOptions {
  readonly once: boolean;
  readonly port: number;
  readonly sandboxPort: number;
}

export async function runDemo(
  options: DemoOptions,
  env: NodeJS.ProcessEnv,
  write: (line: string) => void,
): Promise<void> {
  const redisHandle = await demoRedis(env);
  const prefix = env.REDIS_PREFIX ?? DEMO_PREFIX;
  const servePort = await portOr(options.port);
  const serveUrl = `http://127.0.0.1:${servePort}`;
  const token = `demo-${randomBytes(12).toString('hex')}`;
  const secret = randomBytes(16).toString('hex');
  const logger = createLogger({ level: env.LOG_LEVEL ?? 'warn', name: 'closeloop-demo' });
  const sandbox = await startSandbox({
    port: await portOr(options.sandboxPort),
    accessToken: token,
    clientSecret: secret,
    webhookUrl: `${serveUrl}/webhooks/hubspot`,
    webhookBatchMs: 200,
  });
  const redis = connectRedis(redisHandle.url, 'cli');
  const stops: (() => Promise<void>)[] = [
    () => sandbox.close(),
    async () => redis.disconnect(),
    () => redisHandle.stop(),
  ];
  try {
    await waitForRedis(redis, 5000);
    await clearPrefix(redis, prefix);
    const seed = {
      ...generateDemoPortal(sandbox.clock.now()),
      campaigns: demoHubSpotCampaigns(sandbox.clock.now()),
    };
    await fetch(`${sandbox.url}/__sandbox/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(seed),
    });
    write(
      `sandbox ${sandbox.url}: seeded ${seed.contacts.length} contacts, ${seed.deals.length} deals (Redis: ${redisHandle.source} ${redisHandle.url})`,
    );

    const config = loadConfig({
      ...env,
      HUBSPOT_ACCESS_TOKEN: token,
      HUBSPOT_CLIENT_SECRET: secret,
      HUBSPOT_BASE_URL: sandbox.url,
      PUBLIC_BASE_URL: serveUrl,
      PORT: String(servePort),
      // Work's probes and metrics on any free port: the demo runs one of everything.
      WORK_PORT: '0',
      REDIS_URL: redisHandle.url,
      REDIS_PREFIX: prefix,
    });
    const server = await startServer(config, logger);
    stops.unshift(() => server.close());
    const http = connectHubSpot(config, redis, () => 'UTC');
    const report = await setup(http, redis, prefix);
    for (const line of report.lines) write(`setup: ${line}`);
    // The demo's spend, as `closeloop spend import` would load it.
    await spendStore(redis, portalKeys(prefix, report.portal.portalId)).replace(
      demoSpend(sandbox.clock.now()),
    );
    await runBackfill(config, redis, http, logger, write);
    const setupAndBackfillCalls = totalCalls(sandbox);
    const afterBackfill = callsByEndpoint(sandbox);
    write(
      `HubSpot API calls for setup, backfill and write-back: ${setupAndBackfillCalls}\n${describeCalls(afterBackfill)}`,
    );
    const work = await startWork(config, logger);
    stops.unshift(() => work.close());

    write(
      `\ncloseloop is running: campaigns ${server.url}/api/campaigns · CSV ${server.url}/api/campaigns.csv · calibration ${server.url}/api/calibration · metrics ${server.url}/metrics\n` +
        `the sandbox (a stand-in HubSpot for this demo only) is at ${sandbox.url}: stats ${sandbox.url}/__sandbox/stats; its API takes \`Authorization: Bearer ${token}\``,
    );
    const trickle = createTrickle({ url: sandbox.url, token }, () => sandbox.clock.now());
    if (options.once) {
      for (let step = 0; step < 12; step++) write(`live: ${await trickle.step()}`);
      const portal = await loadPortalSettings(redis, prefix);
      if (portal)
        await waitUntilSettled({
          redis,
          config,
          portal: portal.portalId,
          webhooksPending: () => sandbox.stats().webhooks.pending,
        });
      write(`\n${await campaignTable(redis, prefix, config.metrics.closeHorizonDays)}`);
      const liveCalls = totalCalls(sandbox) - setupAndBackfillCalls - trickle.apiCalls;
      write(
        `\nCalls during the live events (the activity's own ${trickle.apiCalls} included):\n${describeCalls(callsByEndpoint(sandbox), afterBackfill)}`,
      );
      write(
        `\nHubSpot API calls closeloop made for the live events: ${liveCalls} (sandbox stats: ${sandbox.url}/__sandbox/stats)`,
      );
      return;
    }
    write('live activity every 2 s; Ctrl-C stops the demo');
    await new Promise<void>((resolve) => {
      const timer = setInterval(
        () =>
          void trickle.step().then(
            (line) => write(`live: ${line}`),
            (error: unknown) => write(`live: ${String(error)}`),
          ),
        2000,
      );
      const stop = () => {
        clearInterval(timer);
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}

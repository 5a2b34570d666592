import { startWorkers, type Workers } from '../../jobs/worker.ts';
import { runBackfill } from '../../src/commands/backfill-command.ts';
import { waitUntilSettled } from '../../src/commands/settled.ts';
import { setup } from '../../src/commands/setup.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { connectHubSpot } from '../../src/hubspot/connect.ts';
import type { HubSpotHttp } from '../../src/hubspot/http.ts';
import { createLogger } from '../../src/logger.ts';
import { connectRedis, waitForRedis } from '../../src/redis.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { type RunningServer, startServer } from '../../src/serve.ts';
import { freePort } from './private-redis.ts';
import { deleteKeys, TEST_REDIS_URL } from './redis.ts';

const TOKEN = 'loop-access-token-5d3e';
const SECRET = 'loop-client-secret-7a1b';

/**
 * The whole loop in one process for end-to-end tests: the sandbox (a peer HubSpot), `serve`
 * receiving its signed webhooks, and the workers calling it through the real SDK. Counts every
 * record HubSpot accepted in a batch update, to prove each write is applied once.
 */
export interface Loop {
  readonly sandbox: RunningSandbox;
  readonly server: RunningServer;
  readonly workers: Workers;
  readonly config: Config;
  readonly portal: number;
  /** Record id → how many times a batch update accepted it. */
  readonly accepted: Map<string, number>;
  api(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  admin(path: string, body: unknown): Promise<Record<string, unknown>>;
  settle(): Promise<void>;
  values(type: 'contacts' | 'deals', id: string): Promise<Record<string, string | null>>;
  campaigns(): Promise<Array<Record<string, unknown> & { campaign: string; leads: number; won: number }>>;
  backfill(): Promise<void>;
  /** The loop's settings with some changed, as an operator would change the environment. */
  configWith(overrides: Record<string, string>): Config;
  stop(): Promise<void>;
}

function counting(http: HubSpotHttp, accepted: Map<string, number>): HubSpotHttp {
  return async (request) => {
    const response = await http(request);
    if (request.path.endsWith('/batch/update')) {
      const body = response.body as { results?: { id: string }[] };
      for (const result of body.results ?? []) accepted.set(result.id, (accepted.get(result.id) ?? 0) + 1);
    }
    return response;
  };
}

export interface LoopOptions {
  /** Settings added to (or replacing) the loop's environment, e.g. `DASHBOARD_TOKEN`. */
  readonly env?: Record<string, string>;
  /**
   * Records (and HubSpot campaigns) the portal holds before closeloop is set up, given the
   * sandbox's now: setup reads HubSpot's campaign names and spend, so they must exist by then.
   */
  readonly seedBeforeSetup?: (now: number) => unknown;
  /** Another Redis than the shared test one, e.g. a private Redis Cluster. */
  readonly redis?: { readonly url: string; readonly cluster: boolean };
}

export async function startLoop(
  prefix: string,
  sandboxOptions: Parameters<typeof startSandbox>[0] = {},
  loopOptions: LoopOptions = {},
): Promise<Loop> {
  const port = await freePort();
  const sandbox = await startSandbox({
    accessToken: TOKEN,
    clientSecret: SECRET,
    webhookUrl: `http://127.0.0.1:${port}/webhooks/hubspot`,
    requestsPer10s: 0,
    webhookBatchMs: 20,
    webhookBackoffScale: 0.0005,
    timeoutHoldMs: 3000,
    slowMs: 200,
    ...sandboxOptions,
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  };
  if (loopOptions.seedBeforeSetup)
    await call('POST', '/__sandbox/seed', loopOptions.seedBeforeSetup(sandbox.clock.now()));
  const env = {
    HUBSPOT_ACCESS_TOKEN: TOKEN,
    HUBSPOT_CLIENT_SECRET: SECRET,
    HUBSPOT_BASE_URL: sandbox.url,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    PORT: String(port),
    REDIS_URL: loopOptions.redis?.url ?? TEST_REDIS_URL,
    REDIS_CLUSTER: String(loopOptions.redis?.cluster ?? false),
    REDIS_PREFIX: prefix,
    HUBSPOT_REQUESTS_PER_10S: '2000',
    WORK_PORT: '0',
    ...loopOptions.env,
  };
  const config = loadConfig(env);
  const logger = createLogger({ level: 'silent' });
  const server = await startServer(config, logger);
  const redis = connectRedis(config.redis, 'worker');
  await waitForRedis(redis, 5000);
  const accepted = new Map<string, number>();
  const http = counting(
    connectHubSpot(config, redis, () => 'America/New_York'),
    accepted,
  );
  const { portal } = await setup(http, redis, prefix);
  const workers = startWorkers(config, redis, http, logger);

  return {
    sandbox,
    server,
    workers,
    config,
    portal: portal.portalId,
    accepted,
    api: call,
    admin: (path, body) => call('POST', path, body),
    settle: () =>
      waitUntilSettled({
        redis,
        config,
        portal: portal.portalId,
        webhooksPending: () => sandbox.stats().webhooks.pending,
      }),
    async values(type, id) {
      const names = [
        'closeloop_campaign',
        'closeloop_lead_score',
        'closeloop_lead_grade',
        'closeloop_campaign_close_rate',
        'closeloop_score_reason',
        'closeloop_scored_at',
        'closeloop_alignment_index',
      ];
      const properties =
        type === 'contacts'
          ? names.filter((n) => n !== 'closeloop_alignment_index')
          : names.slice(0, 1).concat(names.slice(3, 4), names.slice(6));
      const record = await call('GET', `/crm/v3/objects/${type}/${id}?properties=${properties.join(',')}`);
      return record.properties as Record<string, string | null>;
    },
    async campaigns() {
      const token = config.dashboardToken;
      const response = await fetch(`${server.url}/api/campaigns`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      return (await response.json()) as Array<
        Record<string, unknown> & { campaign: string; leads: number; won: number }
      >;
    },
    backfill: () => runBackfill(config, redis, http, logger, () => undefined),
    configWith: (overrides) => loadConfig({ ...env, ...overrides }),
    async stop() {
      await workers.close();
      await server.close();
      await sandbox.close();
      redis.disconnect();
      if (!loopOptions.redis) await deleteKeys(TEST_REDIS_URL, prefix);
    },
  };
}

import { Redis } from 'ioredis';
import { waitUntilSettled } from '../../../src/commands/settled.ts';
import { type Config, loadConfig } from '../../../src/config.ts';
import { QUEUE_NAMES } from '../../../src/queue.ts';
import type { SandboxOptions } from '../../../src/sandbox/sandbox-options.ts';
import { type RunningSandbox, startSandbox } from '../../../src/sandbox/start-sandbox.ts';
import { type CliProcess, spawnCli, waitUntilReady } from '../../support/cli-process.ts';
import { freePort } from '../../support/private-redis.ts';
import { type ChaosRedis, startChaosRedis } from './chaos-redis.ts';
import { runCli } from './cli-run.ts';
import { jobCounts } from './job-counts.ts';
import { type SandboxClient, sandboxClient } from './sandbox-client.ts';
import { startWebhookProxy, type WebhookProxy } from './webhook-proxy.ts';

const TOKEN = 'chaos-access-token-5f0c';
const SECRET = 'chaos-client-secret-91ab';
export const DASHBOARD_TOKEN = 'chaos-dashboard-token-2d7e';
export const PREFIX = 'chaos';

export interface StackOptions {
  /** closeloop settings beside the stack's own (e.g. WEBHOOK_DEDUPE_WINDOW_SECONDS). */
  readonly env?: Record<string, string>;
  readonly sandbox?: Partial<SandboxOptions>;
}

/** A process of the stack, with the port its probes answer on. */
export interface StackProcess {
  readonly cli: CliProcess;
  readonly url: string;
}

/**
 * One scenario's world: its own Redis (AOF, everysec, noeviction), the sandbox as HubSpot in this
 * process, a recording proxy where HubSpot delivers, and real `closeloop serve` and `work` child
 * processes. stop() ends every process it started and removes the Redis, even after a failure.
 */
export interface ChaosStack {
  readonly redis: ChaosRedis;
  readonly sandbox: RunningSandbox;
  readonly proxy: WebhookProxy;
  readonly client: SandboxClient;
  readonly env: Readonly<Record<string, string>>;
  readonly config: Config;
  readonly portalId: number;
  readonly serveUrl: string;
  readonly processes: StackProcess[];
  startServe(): Promise<StackProcess>;
  startWork(extra?: Record<string, string>): Promise<StackProcess>;
  /** `closeloop <args>` once (setup, backfill, reconcile…), against this stack. */
  cli(args: readonly string[]): Promise<string>;
  /** Resolves when every webhook is delivered and every queue, pending set and outbox is empty. */
  settle(timeoutMs: number): Promise<void>;
  failedJobs(): Promise<number>;
  campaigns(): Promise<unknown>;
  stop(): Promise<void>;
}

function stackEnv(sandboxUrl: string, proxyUrl: string, redisUrl: string, port: number) {
  return {
    HUBSPOT_ACCESS_TOKEN: TOKEN,
    HUBSPOT_CLIENT_SECRET: SECRET,
    HUBSPOT_BASE_URL: sandboxUrl,
    // HubSpot calls the proxy, which is the public address (signatures are checked against it).
    PUBLIC_BASE_URL: proxyUrl,
    PORT: String(port),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: PREFIX,
    DASHBOARD_TOKEN,
    HUBSPOT_REQUESTS_PER_10S: '2000',
    PIPELINES: 'default',
    LOG_LEVEL: 'warn',
    // Repairs are what some scenarios test: a sweep runs only when one asks for it.
    RECONCILE_INTERVAL_MINUTES: '0',
    RECONCILE_ID_SWEEP_HOURS: '0',
  };
}

/** Starts each part in turn; if one fails, stops those already started. */
export async function startStack(options: StackOptions = {}): Promise<ChaosStack> {
  const started: Array<() => Promise<void>> = [];
  try {
    return await assemble(options, started);
  } catch (error) {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
    throw error;
  }
}

async function startParts(options: StackOptions, started: Array<() => Promise<void>>) {
  const redis = await startChaosRedis();
  started.push(() => redis.stop());
  const port = await freePort();
  const serveUrl = `http://127.0.0.1:${port}`;
  const proxy = await startWebhookProxy(serveUrl);
  started.push(() => proxy.close());
  const sandbox = await startSandbox({
    accessToken: TOKEN,
    clientSecret: SECRET,
    webhookUrl: `${proxy.url}/webhooks/hubspot`,
    requestsPer10s: 0,
    dailyLimit: 0,
    webhookBatchMs: 20,
    webhookBackoffScale: 0.001,
    timeoutHoldMs: 3000,
    ...options.sandbox,
  });
  started.push(() => sandbox.close());
  const env = { ...stackEnv(sandbox.url, proxy.url, redis.url, port), ...options.env };
  return { redis, proxy, sandbox, serveUrl, env };
}

/** `serve` and `work` as child processes, each ready (its /readyz answering 200) when returned. */
function starters(env: Record<string, string>, serveUrl: string, processes: StackProcess[]) {
  return {
    async startServe() {
      const cli = spawnCli('serve', env);
      processes.push({ cli, url: serveUrl });
      await waitUntilReady(`${serveUrl}/readyz`, cli);
      return { cli, url: serveUrl };
    },
    async startWork(extra: Record<string, string> = {}) {
      const workPort = await freePort();
      const cli = spawnCli('work', { ...env, WORK_PORT: String(workPort), ...extra });
      const url = `http://127.0.0.1:${workPort}`;
      processes.push({ cli, url });
      await waitUntilReady(`${url}/readyz`, cli);
      return { cli, url };
    },
  };
}

async function campaignsOf(serveUrl: string): Promise<unknown> {
  const response = await fetch(`${serveUrl}/api/campaigns`, {
    headers: { authorization: `Bearer ${DASHBOARD_TOKEN}` },
  });
  if (!response.ok) throw new Error(`/api/campaigns → ${response.status}`);
  return response.json();
}

async function assemble(options: StackOptions, started: Array<() => Promise<void>>): Promise<ChaosStack> {
  const { redis, proxy, sandbox, serveUrl, env } = await startParts(options, started);
  const config = loadConfig(env);
  const watcher = new Redis(redis.url, { maxRetriesPerRequest: null });
  watcher.on('error', () => undefined);
  const processes: StackProcess[] = [];
  const portal = sandbox.options.portalId;
  return {
    redis,
    sandbox,
    proxy,
    client: sandboxClient(sandbox.url, TOKEN),
    env,
    config,
    portalId: portal,
    serveUrl,
    processes,
    ...starters(env, serveUrl, processes),
    cli: (args) => runCli(args, env),
    settle: (timeoutMs) =>
      waitUntilSettled({
        redis: watcher,
        config,
        portal,
        webhooksPending: () => sandbox.stats().webhooks.pending + proxy.inFlight(),
        timeoutMs,
      }),
    failedJobs: async () => (await jobCounts(watcher, PREFIX, Object.values(QUEUE_NAMES), 'failed')).total,
    campaigns: () => campaignsOf(serveUrl),
    async stop() {
      await Promise.all(processes.map(({ cli }) => cli.kill()));
      watcher.disconnect();
      await sandbox.close();
      await proxy.close();
      await redis.stop();
    },
  };
}

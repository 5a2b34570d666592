import { z } from 'zod';
import { waitUntilSettled } from '../../src/commands/settled.ts';
import { setup } from '../../src/commands/setup.ts';
import { startWork } from '../../src/commands/work.ts';
import { loadConfig } from '../../src/config.ts';
import { connectHubSpot } from '../../src/hubspot/connect.ts';
import { createLogger } from '../../src/logger.ts';
import { connectRedis, waitForRedis } from '../../src/redis.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { startServer } from '../../src/serve.ts';
import { freePort } from './private-redis.ts';
import { deleteKeys, TEST_REDIS_URL } from './redis.ts';

const ACCESS_TOKEN = 'metrics-access-token-2c9d';
const CLIENT_SECRET = 'metrics-client-secret-81fe';
export const DASHBOARD_TOKEN = 'metrics-dashboard-token-6b0a';
/** The sandbox's 10-second limit, so its answers carry HubSpot's rate-limit headers. */
export const REQUESTS_PER_10S = 2000;

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One scrape in Prometheus's text format: the metric families it declares and every sample. */
export interface Exposition {
  /** Family name → its `# TYPE` (counter, gauge, histogram, summary, untyped). */
  readonly types: ReadonlyMap<string, string>;
  /** Family names with a `# HELP` line. */
  readonly helped: ReadonlySet<string>;
  readonly samples: readonly Sample[];
}

const SAMPLE_LINE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL_PAIR = /([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g;
const typeSchema = z.enum(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function unescapeLabel(value: string): string {
  return value.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char));
}

// Prometheus reads these case-insensitively (Go's ParseFloat); prom-client writes NaN as `Nan`.
function parseValue(raw: string): number {
  if (/^nan$/i.test(raw)) return Number.NaN;
  if (/^\+?inf$/i.test(raw)) return Number.POSITIVE_INFINITY;
  if (/^-inf$/i.test(raw)) return Number.NEGATIVE_INFINITY;
  const value = Number(raw);
  if (Number.isNaN(value)) throw new Error(`Not a sample value: ${raw}`);
  return value;
}

/** Parses the text exposition format (version 0.0.4), throwing on a line it cannot read. */
export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const helped = new Set<string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const comment = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
    if (comment) {
      const [, kind, name = '', rest = ''] = comment;
      if (kind === 'TYPE') types.set(name, typeSchema.parse(rest.trim()));
      else helped.add(name);
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = SAMPLE_LINE.exec(line);
    if (!match) throw new Error(`Not a sample line: ${line}`);
    const [, name = '', body = '', raw = ''] = match;
    const labels: Record<string, string> = {};
    for (const [, key = '', value = ''] of body.matchAll(LABEL_PAIR)) labels[key] = unescapeLabel(value);
    samples.push({ name, labels, value: parseValue(raw) });
  }
  return { types, helped, samples };
}

/** GETs a `/metrics` endpoint (with the bearer token when given) and parses it. */
export async function scrape(baseUrl: string, token?: string): Promise<Exposition> {
  const response = await fetch(`${baseUrl}/metrics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${baseUrl}/metrics → ${response.status} ${text}`);
  return parseExposition(text);
}

/** The samples of one series name whose labels include `match`. */
export function samplesOf(
  exposition: Exposition,
  name: string,
  match: Readonly<Record<string, string>> = {},
): Sample[] {
  return exposition.samples.filter(
    (sample) =>
      sample.name === name && Object.entries(match).every(([key, value]) => sample.labels[key] === value),
  );
}

/** The sum of those samples (0 when there are none). */
export function sumOf(
  exposition: Exposition,
  name: string,
  match?: Readonly<Record<string, string>>,
): number {
  return samplesOf(exposition, name, match).reduce((total, sample) => total + sample.value, 0);
}

/** serve on `port` (where the sandbox sends webhooks), work on any free port, both behind the token. */
function metricsConfig(sandboxUrl: string, port: number, prefix: string) {
  return loadConfig({
    HUBSPOT_ACCESS_TOKEN: ACCESS_TOKEN,
    HUBSPOT_CLIENT_SECRET: CLIENT_SECRET,
    HUBSPOT_BASE_URL: sandboxUrl,
    HUBSPOT_REQUESTS_PER_10S: String(REQUESTS_PER_10S),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    PORT: String(port),
    WORK_PORT: '0',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    DASHBOARD_TOKEN,
  });
}

/**
 * The sandbox seeded with `seed`, `serve` receiving its signed webhooks, `closeloop setup`, and
 * `work` (its own workers, metrics and `WORK_PORT`) in this process, on Redis under `prefix`.
 */
export async function startMetricsLoop(prefix: string, seed: unknown) {
  const port = await freePort();
  const sandbox = await startSandbox({
    accessToken: ACCESS_TOKEN,
    clientSecret: CLIENT_SECRET,
    webhookUrl: `http://127.0.0.1:${port}/webhooks/hubspot`,
    requestsPer10s: REQUESTS_PER_10S,
    webhookBatchMs: 20,
    webhookBackoffScale: 0.0005,
  });
  const sandboxApi = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${await response.text()}`);
  };
  await sandboxApi('POST', '/__sandbox/seed', seed);
  const config = metricsConfig(sandbox.url, port, prefix);
  const logger = createLogger({ level: 'silent' });
  const server = await startServer(config, logger);
  const redis = connectRedis(TEST_REDIS_URL, 'worker');
  await waitForRedis(redis, 5000);
  const http = connectHubSpot(config, redis, () => 'America/New_York');
  const portal = (await setup(http, redis, prefix)).portal.portalId;
  const work = await startWork(config, logger);
  return {
    sandbox,
    server,
    work,
    redis,
    http,
    portal,
    sandboxApi,
    settle: () =>
      waitUntilSettled({ redis, config, portal, webhooksPending: () => sandbox.stats().webhooks.pending }),
    async stop() {
      await work.close();
      await server.close();
      await sandbox.close();
      redis.disconnect();
      await deleteKeys(TEST_REDIS_URL, prefix);
    },
  };
}

export type MetricsLoop = Awaited<ReturnType<typeof startMetricsLoop>>;

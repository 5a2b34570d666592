import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { freePort } from '../support/private-redis.ts';
import { deleteKeys } from '../support/redis.ts';

/**
 * Webhook ingest: closeloop's receiver beside a bare reference receiver, with pre-signed
 * deliveries of 1, 10 and 100 events, interleaved repetitions, medians.
 */
const SECRET = 'bench-client-secret';
const BASE = 'https://closeloop.bench';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface IngestResult {
  readonly receiver: 'closeloop' | 'reference';
  readonly eventsPerDelivery: number;
  readonly requestsPerSecond: number;
  readonly eventsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  /** The receiver process's user + system CPU per answered request, at the maximum rate. */
  readonly cpuMicrosPerRequest: number;
  /** p99 with the load held at half the maximum requests/s just measured. */
  readonly halfRateP99Ms: number;
}

let eventId = 1;
function signedDeliveries(count: number, eventsPerDelivery: number) {
  const now = Date.now();
  return Array.from({ length: count }, () => {
    const events = Array.from({ length: eventsPerDelivery }, () => {
      const id = eventId++;
      return {
        eventId: id,
        subscriptionId: 1,
        portalId: 62515,
        appId: 1,
        occurredAt: now,
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-1',
        objectId: 1 + (id % 50_000),
        propertyName: 'lifecyclestage',
        propertyValue: 'lead',
        attemptNumber: 0,
        changeSource: 'CRM_UI',
      };
    });
    const body = JSON.stringify(events);
    const timestamp = String(now);
    const signature = createHmac('sha256', SECRET)
      .update(`POST${BASE}/webhooks/hubspot${body}${timestamp}`)
      .digest('base64');
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': signature,
        'x-hubspot-request-timestamp': timestamp,
      },
    };
  });
}

async function start(
  receiver: IngestResult['receiver'],
  prefix: string,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const env = {
    ...process.env,
    PORT: String(port),
    HUBSPOT_CLIENT_SECRET: SECRET,
    PUBLIC_BASE_URL: BASE,
    REDIS_URL,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'warn',
  };
  const script = receiver === 'closeloop' ? 'src/cli.ts' : 'test/bench/reference-receiver.ts';
  const child = fork(script, receiver === 'closeloop' ? ['serve'] : [], { env, stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    const up = await fetch(`${url}/webhooks/hubspot`, { method: 'POST', body: '[]' }).then(
      () => true,
      () => false,
    );
    if (up) return { url, child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${receiver} did not start`);
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

function cpuSecondsOf(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

async function load(
  url: string,
  eventsPerDelivery: number,
  seconds: number,
  connections: number,
  overallRate?: number,
) {
  const pool = signedDeliveries(Math.ceil((seconds * 30_000) / eventsPerDelivery) + 1000, eventsPerDelivery);
  let next = 0;
  return autocannon({
    url: `${url}/webhooks/hubspot`,
    connections,
    duration: seconds,
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const delivery = pool[next++ % pool.length];
          return { ...request, body: delivery?.body, headers: delivery?.headers };
        },
      },
    ],
  });
}

export async function measureIngest(options: {
  seconds: number;
  repetitions: number;
  sizes: number[];
}): Promise<IngestResult[]> {
  const results: IngestResult[] = [];
  for (const size of options.sizes) {
    for (let repetition = 0; repetition < options.repetitions; repetition++) {
      for (const receiver of ['reference', 'closeloop'] as const) {
        const prefix = `bench-ingest-${randomBytes(3).toString('hex')}`;
        const { url, child } = await start(receiver, prefix);
        const connections = size === 1 ? 50 : 10;
        const cpuBefore = cpuSecondsOf(child.pid);
        const run = await load(url, size, options.seconds, connections);
        const cpuSeconds = cpuSecondsOf(child.pid) - cpuBefore;
        const accepted = (run['2xx'] ?? 0) / options.seconds;
        const half = await load(url, size, options.seconds, connections, Math.round(accepted / 2));
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
        await deleteKeys(REDIS_URL, prefix);
        results.push({
          receiver,
          eventsPerDelivery: size,
          // Only deliveries accepted: a 503 is HubSpot told to come back, not ingest.
          requestsPerSecond: accepted,
          eventsPerSecond: accepted * size,
          p50Ms: run.latency.p50,
          p99Ms: run.latency.p99,
          non2xx: run.non2xx + half.non2xx,
          cpuMicrosPerRequest: (cpuSeconds * 1e6) / Math.max(1, run.requests.total),
          halfRateP99Ms: half.latency.p99,
        });
      }
    }
  }
  return results;
}

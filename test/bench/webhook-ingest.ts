import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort } from '../support/private-redis.ts';
import { deleteKeys } from '../support/redis.ts';
import { cpuSecondsOf } from './closeloop-process.ts';
import { BASE, load, SECRET } from './ingest-load.ts';

/**
 * Webhook ingest: closeloop's receiver beside a bare reference receiver, with pre-signed
 * deliveries of 1, 10 and 100 events, interleaved repetitions, medians.
 */
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

async function start(
  receiver: IngestResult['receiver'],
  prefix: string,
  drainSeconds: number | undefined,
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
    ...(drainSeconds === undefined ? {} : { SHUTDOWN_DRAIN_SECONDS: String(drainSeconds) }),
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

export interface IngestOptions {
  readonly seconds: number;
  readonly repetitions: number;
  readonly sizes: readonly number[];
  /**
   * Quicker between runs: a repetition's two receivers start at once (each waits idle for its
   * turn), closeloop's stops without `serve`'s shutdown drain (no load balancer to tell here), and
   * their Redis keys go in one sweep at the end rather than one scan of Redis per receiver.
   */
  readonly quickTurnaround?: boolean;
}

const RECEIVERS = ['reference', 'closeloop'] as const;
type Started = Awaited<ReturnType<typeof start>> & { readonly prefix: string };

async function stop({ child }: Started): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

/** The maximum rate, then half of it, on a receiver that has taken nothing yet. */
async function measure(
  receiver: IngestResult['receiver'],
  { url, child }: Started,
  size: number,
  seconds: number,
): Promise<IngestResult> {
  const connections = size === 1 ? 50 : 10;
  const pid = child.pid as number;
  const cpuBefore = cpuSecondsOf(pid);
  const run = await load(url, size, seconds, connections);
  const cpuSeconds = cpuSecondsOf(pid) - cpuBefore;
  const accepted = (run['2xx'] ?? 0) / seconds;
  const half = await load(url, size, seconds, connections, Math.round(accepted / 2));
  return {
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
  };
}

/** One repetition: the reference, then closeloop, each on a fresh receiver under a prefix of its own. */
async function repetition(size: number, options: IngestOptions, sweep: string): Promise<IngestResult[]> {
  const launch = async (receiver: IngestResult['receiver']): Promise<Started> => {
    const id = randomBytes(3).toString('hex');
    const prefix = options.quickTurnaround ? `${sweep}:${id}` : `bench-ingest-${id}`;
    return { ...(await start(receiver, prefix, options.quickTurnaround ? 0 : undefined)), prefix };
  };
  const results: IngestResult[] = [];
  if (options.quickTurnaround) {
    const pair = await Promise.all(RECEIVERS.map(launch));
    for (const [index, receiver] of RECEIVERS.entries())
      results.push(await measure(receiver, pair[index] as Started, size, options.seconds));
    await Promise.all(pair.map(stop));
    return results;
  }
  for (const receiver of RECEIVERS) {
    const started = await launch(receiver);
    results.push(await measure(receiver, started, size, options.seconds));
    await stop(started);
    await deleteKeys(REDIS_URL, started.prefix);
  }
  return results;
}

export async function measureIngest(options: IngestOptions): Promise<IngestResult[]> {
  const sweep = `bench-ingest-${randomBytes(3).toString('hex')}`;
  const results: IngestResult[] = [];
  try {
    for (const size of options.sizes)
      for (let index = 0; index < options.repetitions; index++)
        results.push(...(await repetition(size, options, sweep)));
  } finally {
    if (options.quickTurnaround) await deleteKeys(REDIS_URL, sweep);
  }
  return results;
}

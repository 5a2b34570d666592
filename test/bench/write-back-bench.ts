import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { scheduler, wakeQueues } from '../../jobs/context.ts';
import { waitUntilSettled } from '../../src/commands/settled.ts';
import { setup } from '../../src/commands/setup.ts';
import { loadConfig } from '../../src/config.ts';
import { connectHubSpot } from '../../src/hubspot/connect.ts';
import { QUEUE_NAMES } from '../../src/queue.ts';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { freePort } from '../support/private-redis.ts';
import { scaledDemoPortal } from './scaled-demo-portal.ts';
import { closeloopEnv } from './work-scaling.ts';
import { type SeededPortal, seedAndBackfill } from './work-scaling-portal.ts';
import type { Bench, WriteBackOptions } from './write-back-run.ts';

/*
 * The write-back benchmark's setting: its portal, the naive writer's twin of it, and the bench's
 * view of both.
 */

/** The access token both sandboxes grant. */
export const TOKEN = 'bench-access-token';

/** The naive writer's sandbox: the same records, and closeloop's properties for it to write. */
async function prepareTwin(sandbox: RunningSandbox, copies: number, redis: Redis, prefix: string) {
  for (const copy of scaledDemoPortal(sandbox.clock.now(), copies)) {
    const response = await fetch(`${sandbox.url}/__sandbox/seed`, {
      method: 'POST',
      body: JSON.stringify(copy),
    });
    if (!response.ok) throw new Error(`twin seed → ${response.status} ${await response.text()}`);
  }
  const env = { HUBSPOT_ACCESS_TOKEN: TOKEN, HUBSPOT_BASE_URL: sandbox.url, REDIS_PREFIX: prefix };
  const config = loadConfig({ ...env, HUBSPOT_REQUESTS_PER_10S: '10000' });
  await setup(
    connectHubSpot(config, redis, () => 'UTC'),
    redis,
    prefix,
  );
}

export async function configure(sandbox: RunningSandbox, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox/config`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`sandbox config → ${response.status} ${await response.text()}`);
}

/** The bench's view of the portal and its twin: ids, queues, and HubSpot's latency and limit as measured. */
function benchOf(
  sandboxes: { sandbox: RunningSandbox; naiveSandbox: RunningSandbox },
  redis: Redis,
  prefix: string,
  options: WriteBackOptions,
  seeded: SeededPortal,
  env: Record<string, string>,
) {
  const config = loadConfig(env);
  const wake = wakeQueues(redis, prefix);
  const schedule = scheduler(wake);
  const events = new Queue(QUEUE_NAMES.events, { connection: redis, prefix });
  const bench: Bench = {
    ...sandboxes,
    redis,
    prefix,
    token: TOKEN,
    portal: seeded.portalId,
    leadIds: seeded.leadIds,
    allIds: { contacts: seeded.contactIds, deals: seeded.dealIds },
    events,
    wakeStats: () => schedule('stats', seeded.portalId),
    settle: () =>
      waitUntilSettled({
        redis,
        config,
        portal: seeded.portalId,
        webhooksPending: () => 0,
        timeoutMs: 600_000,
      }),
    throttle: {
      requestsPer10s: options.requestsPer10s,
      faults: ['slow'],
      failRate: 1,
      slowMs: options.latencyMs,
    },
    shown: new Map(),
  };
  const close = () => Promise.all([events, ...Object.values(wake)].map((queue) => queue.close()));
  return { bench, close };
}

/** The portal seeded and backfilled, its twin ready, the bench's view of both. */
export async function openBench(
  sandboxes: { sandbox: RunningSandbox; naiveSandbox: RunningSandbox },
  redis: Redis,
  prefix: string,
  options: WriteBackOptions,
) {
  const env = closeloopEnv(sandboxes.sandbox, await freePort(), prefix, options.requestsPer10s);
  const seeded = await seedAndBackfill(sandboxes.sandbox, redis, env, options.copies);
  await prepareTwin(sandboxes.naiveSandbox, options.copies, redis, `${prefix}-twin`);
  return { ...benchOf(sandboxes, redis, prefix, options, seeded, env), env, seeded };
}

export type OpenedBench = Awaited<ReturnType<typeof openBench>>;

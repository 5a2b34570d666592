import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { CallStats } from './call-stats.ts';
import { CrmState } from './crm-state.ts';
import { RateLimiter } from './rate-limiter.ts';
import { compileRoutes } from './route-table.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { associationBatchRoutes } from './routes/association-batch-routes.ts';
import { associationRoutes } from './routes/association-routes.ts';
import { batchRoutes } from './routes/batch-routes.ts';
import { campaignRoutes } from './routes/campaign-routes.ts';
import { objectRoutes } from './routes/object-routes.ts';
import { portalRoutes } from './routes/portal-routes.ts';
import { propertyRoutes } from './routes/property-routes.ts';
import { searchRoutes } from './routes/search-route.ts';
import { createSandboxClock, type SandboxClock } from './sandbox-clock.ts';
import type { Route, SandboxContext } from './sandbox-context.ts';
import { type LogFn, resolveSandboxOptions, type SandboxOptions } from './sandbox-options.ts';
import { handleRequest } from './sandbox-server.ts';
import { createRandom } from './seeded-random.ts';
import type { ChangeSink } from './webhooks/crm-change.ts';
import { loadWebhookSettings } from './webhooks/subscriptions.ts';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.ts';
import { buildEvents } from './webhooks/webhook-events.ts';
import type { WriteCounts } from './write-stats.ts';

export type SandboxStats = {
  calls: Record<string, Record<string, number>>;
  webhooks: { delivered: number; failed: number; pending: number };
  records: { contacts: number; deals: number };
  /** Batch-update inputs per object type, and those that changed no value. */
  writes: Record<string, WriteCounts>;
};

export type RunningSandbox = {
  url: string;
  port: number;
  clock: SandboxClock;
  /** The live options; `POST /__sandbox/config` changes some of them. */
  options: SandboxOptions;
  close(): Promise<void>;
  /** Resolves when no webhook event is buffered, in flight or waiting for a retry. */
  waitForWebhooksIdle(): Promise<void>;
  stats(): SandboxStats;
  reset(): void;
  /**
   * Empties the ten-second and search windows; the records, the day's count and the clock stay.
   * What waiting out the window would do, for benchmarks that need a full budget between runs.
   */
  clearRateWindows(): void;
};

/** Every route, admin ones first (listed literals before parameters, as the matcher needs). */
export const ROUTES: readonly Route[] = [
  ...adminRoutes,
  ...batchRoutes,
  ...searchRoutes,
  ...objectRoutes,
  ...associationRoutes,
  ...associationBatchRoutes,
  ...propertyRoutes,
  ...portalRoutes,
  ...campaignRoutes,
];

function createDispatcher(options: SandboxOptions, maxConcurrent: number, log: LogFn): WebhookDispatcher {
  const settings = {
    url: options.webhookUrl,
    secret: options.clientSecret,
    batchMs: options.webhookBatchMs,
    timeoutMs: options.webhookTimeoutMs,
    maxRetries: options.webhookMaxRetries,
    backoffScale: options.webhookBackoffScale,
    maxConcurrent,
    duplicateRate: options.duplicateRate,
    shuffle: options.shuffle,
  };
  const dispatcher = new WebhookDispatcher(settings, createRandom(options.seed ^ 0x5bd1e995), log);
  dispatcher.setDelivering(options.webhooks);
  return dispatcher;
}

function createContext(options: SandboxOptions): SandboxContext {
  const clock = createSandboxClock(options.now, options.freezeClock);
  const settings = loadWebhookSettings(options.subscriptionsPath, options.subscriptions);
  const dispatcher = createDispatcher(options, settings.maxConcurrentRequests, options.logger ?? (() => {}));
  let eventId = 0;
  const sink: ChangeSink = (changes, source) => {
    if (dispatcher.dropping) return;
    const base = { portalId: options.portalId, appId: options.appId, occurredAt: clock.now(), source };
    dispatcher.enqueue(
      changes.flatMap((change) => buildEvents(change, settings.subscriptions, ++eventId, base)),
    );
  };
  const { lifecycleDates, currency, portalId } = options;
  const newCrm = () => new CrmState({ clock, lifecycleDates, currency, portalId, sink });
  const ctx: SandboxContext = {
    options,
    crm: newCrm(),
    clock,
    random: createRandom(options.seed),
    dispatcher,
    limiter: new RateLimiter(options, clock),
    stats: new CallStats(),
    reset() {
      ctx.crm = newCrm();
      ctx.stats.reset();
      ctx.limiter.reset();
      dispatcher.reset();
      eventId = 0;
      ctx.random = createRandom(options.seed);
      clock.set(options.now ?? Date.now());
    },
  };
  return ctx;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

export async function startSandbox(options: Partial<SandboxOptions> = {}): Promise<RunningSandbox> {
  const resolved = resolveSandboxOptions(options);
  const ctx = createContext(resolved);
  const held = new Set<Socket>();
  const log = resolved.logger ?? (() => {});
  const deps = { ctx, match: compileRoutes(ROUTES), held, log };
  const server = createServer((req, res) => void handleRequest(deps, req, res));
  server.keepAliveTimeout = 5_000;
  const port = await listen(server, resolved.port, resolved.host);
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  return {
    url: `http://${host}:${port}`,
    port,
    clock: ctx.clock,
    options: resolved,
    waitForWebhooksIdle: () => ctx.dispatcher.whenIdle(),
    stats: () => ({
      calls: ctx.stats.toJSON(),
      webhooks: {
        delivered: ctx.dispatcher.delivered,
        failed: ctx.dispatcher.failed,
        pending: ctx.dispatcher.pending,
      },
      records: { contacts: ctx.crm.contacts.size, deals: ctx.crm.deals.size },
      writes: ctx.stats.writes.toJSON(),
    }),
    reset: () => ctx.reset(),
    clearRateWindows: () => ctx.limiter.clearWindows(),
    close: () =>
      new Promise<void>((resolve) => {
        ctx.dispatcher.reset();
        for (const socket of held) socket.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import { z } from 'zod';
import { objectType } from '../object-types.ts';
import { restoreRecord } from '../record-removal.ts';
import { recordToJson, selectProperties } from '../record-view.ts';
import { parseBody } from '../request-schemas.ts';
import { requireRecord } from '../route-helpers.ts';
import type { ApiRequest, Route, SandboxContext } from '../sandbox-context.ts';
import { runtimeConfigSchema } from '../sandbox-options.ts';
import { seedRoute } from './seed-route.ts';

const clockSchema = z.strictObject({
  now: z.union([z.number().int(), z.iso.datetime({ offset: true })]).optional(),
  advanceMs: z.number().int().optional(),
});

function webhookStats(ctx: SandboxContext) {
  const d = ctx.dispatcher;
  return { delivered: d.delivered, failed: d.failed, pending: d.pending };
}

function stats(ctx: SandboxContext) {
  const records = { contacts: ctx.crm.contacts.size, deals: ctx.crm.deals.size };
  const writes = ctx.stats.writes.toJSON();
  return { status: 200, body: { calls: ctx.stats.toJSON(), webhooks: webhookStats(ctx), records, writes } };
}

function clock(ctx: SandboxContext, req: ApiRequest) {
  const input = parseBody(clockSchema, req.body ?? {});
  if (input.now !== undefined)
    ctx.clock.set(typeof input.now === 'number' ? input.now : Date.parse(input.now));
  if (input.advanceMs !== undefined) ctx.clock.advance(input.advanceMs);
  const now = ctx.clock.now();
  return { status: 200, body: { now, iso: new Date(now).toISOString() } };
}

function configure(ctx: SandboxContext, req: ApiRequest) {
  const input = parseBody(runtimeConfigSchema, req.body ?? {});
  const { webhookUrl, ...rest } = input;
  Object.assign(ctx.options, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
  if (webhookUrl !== undefined) ctx.options.webhookUrl = webhookUrl ?? undefined;
  const o = ctx.options;
  Object.assign(ctx.limiter.config, {
    requestsPer10s: o.requestsPer10s,
    windowMs: o.windowMs,
    dailyLimit: o.dailyLimit,
    searchPerSecond: o.searchPerSecond,
  });
  Object.assign(ctx.dispatcher.settings, {
    url: o.webhookUrl,
    duplicateRate: o.duplicateRate,
    shuffle: o.shuffle,
    backoffScale: o.webhookBackoffScale,
    batchMs: o.webhookBatchMs,
  });
  ctx.dispatcher.setDelivering(o.webhooks);
  return { status: 200, body: runtimeView(ctx) };
}

function runtimeView({ options: o }: SandboxContext) {
  const { requestsPer10s, windowMs, dailyLimit, searchPerSecond, failRate, faults, duplicateRate, shuffle } =
    o;
  const { timeoutHoldMs, slowMs, webhookBackoffScale, webhookBatchMs, campaignsApi, scopes, webhooks } = o;
  const limits = { requestsPer10s, windowMs, dailyLimit, searchPerSecond };
  return {
    ...limits,
    failRate,
    faults,
    duplicateRate,
    shuffle,
    timeoutHoldMs,
    slowMs,
    webhookBackoffScale,
    webhookBatchMs,
    webhookUrl: o.webhookUrl ?? null,
    webhooks,
    campaignsApi,
    scopes,
  };
}

function restore(ctx: SandboxContext, req: ApiRequest) {
  const input = parseBody(
    z.object({ objectType: z.string(), id: z.union([z.string(), z.number()]).transform(String) }),
    req.body,
  );
  const type = objectType(input.objectType);
  const record = requireRecord(ctx, type, input.id, true);
  restoreRecord(ctx.crm, type, record, 'CRM_UI');
  const store = ctx.crm.store(type);
  return { status: 200, body: recordToJson(store, record, selectProperties(store, undefined)) };
}

async function waitIdle(ctx: SandboxContext, req: ApiRequest) {
  const { timeoutMs } = parseBody(
    z.object({ timeoutMs: z.number().int().positive().default(30_000) }),
    req.body ?? {},
  );
  let timer: NodeJS.Timeout | undefined;
  const idle = await Promise.race([
    ctx.dispatcher.whenIdle().then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  return { status: 200, body: { idle, ...webhookStats(ctx) } };
}

/** The older switch for deliveries: `{enabled: true}` is `POST /__sandbox/config {webhooks: false}`. */
function drop(ctx: SandboxContext, req: ApiRequest) {
  const { enabled } = parseBody(z.object({ enabled: z.boolean() }), req.body);
  ctx.options.webhooks = !enabled;
  ctx.dispatcher.setDelivering(!enabled);
  return { status: 200, body: { dropping: enabled } };
}

function reset(ctx: SandboxContext) {
  ctx.reset();
  return { status: 200, body: { reset: true } };
}

export const adminRoutes: Route[] = [
  { method: 'GET', path: '/__sandbox/stats', kind: 'admin', handler: stats },
  {
    method: 'GET',
    path: '/__sandbox/calls',
    kind: 'admin',
    handler: (ctx) => ({ status: 200, body: { calls: ctx.stats.log() } }),
  },
  { method: 'POST', path: '/__sandbox/reset', kind: 'admin', handler: reset },
  seedRoute,
  { method: 'POST', path: '/__sandbox/clock', kind: 'admin', handler: clock },
  {
    method: 'GET',
    path: '/__sandbox/config',
    kind: 'admin',
    handler: (ctx) => ({ status: 200, body: runtimeView(ctx) }),
  },
  { method: 'POST', path: '/__sandbox/config', kind: 'admin', handler: configure },
  { method: 'POST', path: '/__sandbox/restore', kind: 'admin', handler: restore },
  {
    method: 'POST',
    path: '/__sandbox/webhooks/replay',
    kind: 'admin',
    handler: (ctx) => ({ status: 200, body: { replayed: ctx.dispatcher.replay() } }),
  },
  { method: 'POST', path: '/__sandbox/webhooks/drop', kind: 'admin', handler: drop },
  { method: 'POST', path: '/__sandbox/webhooks/wait-idle', kind: 'admin', handler: waitIdle },
];

import { z } from 'zod';
import { SCOPES } from './scopes.ts';

export const FAULT_KINDS = ['429', '423', '500', '502', '503', '504', 'timeout', 'slow', '207'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** `forbidden`: the portal has no Campaigns API (below Marketing Hub Professional, or no scope). */
export const CAMPAIGNS_API_MODES = ['available', 'forbidden'] as const;

export type LogFn = (line: string) => void;

export const sandboxOptionsSchema = z.object({
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().default('127.0.0.1'),
  accessToken: z.string().min(1).optional(),
  clientSecret: z.string().default('sandbox-client-secret'),
  webhookUrl: z.url().optional(),
  appId: z.number().int().positive().default(4_203_001),
  portalId: z.number().int().positive().default(24_681_357),
  timeZone: z.string().default('America/New_York'),
  currency: z.string().length(3).default('USD'),
  requestsPer10s: z.number().int().min(0).default(100),
  windowMs: z.number().int().positive().default(10_000),
  dailyLimit: z.number().int().min(0).default(250_000),
  searchPerSecond: z.number().int().min(0).default(5),
  failRate: z.number().min(0).max(1).default(0),
  faults: z.array(z.enum(FAULT_KINDS)).default([...FAULT_KINDS]),
  duplicateRate: z.number().min(0).max(1).default(0),
  shuffle: z.boolean().default(false),
  seed: z.number().int().default(1),
  lifecycleDates: z.enum(['v2', 'legacy']).default('v2'),
  associationPageSize: z.number().int().positive().default(500),
  campaignsApi: z.enum(CAMPAIGNS_API_MODES).default('available'),
  /** Scopes granted to the access token; a call needing another answers HubSpot's 403. */
  scopes: z.array(z.enum(SCOPES)).default([...SCOPES]),
  /** false: no webhook is built, sent or kept for later (the CRM still changes). */
  webhooks: z.boolean().default(true),
  subscriptionsPath: z.string().default('infra/hubspot/src/app/webhooks/webhooks-hsmeta.json'),
  /** Subscriptions given inline (the `config.subscriptions` part of the hsmeta file); wins over the path. */
  subscriptions: z.unknown().optional(),
  webhookBatchMs: z.number().int().min(0).default(100),
  webhookTimeoutMs: z.number().int().positive().default(5_000),
  webhookMaxRetries: z.number().int().min(0).default(10),
  /** Multiplies HubSpot's retry schedule (minutes to hours); tests use something like 0.0001. */
  webhookBackoffScale: z.number().min(0).default(1),
  timeoutHoldMs: z.number().int().min(0).default(120_000),
  slowMs: z.number().int().min(0).default(3_000),
  now: z.number().int().optional(),
  freezeClock: z.boolean().default(false),
  logger: z.custom<LogFn>((value) => typeof value === 'function').optional(),
});

export type SandboxOptions = z.output<typeof sandboxOptionsSchema>;

export function resolveSandboxOptions(options: Partial<SandboxOptions>): SandboxOptions {
  return sandboxOptionsSchema.parse(options);
}

/** What `POST /__sandbox/config` may change while the sandbox runs. */
export const runtimeConfigSchema = z.strictObject({
  requestsPer10s: z.number().int().min(0).optional(),
  windowMs: z.number().int().positive().optional(),
  dailyLimit: z.number().int().min(0).optional(),
  searchPerSecond: z.number().int().min(0).optional(),
  failRate: z.number().min(0).max(1).optional(),
  faults: z.array(z.enum(FAULT_KINDS)).optional(),
  duplicateRate: z.number().min(0).max(1).optional(),
  shuffle: z.boolean().optional(),
  webhookUrl: z.url().nullable().optional(),
  timeoutHoldMs: z.number().int().min(0).optional(),
  slowMs: z.number().int().min(0).optional(),
  webhookBackoffScale: z.number().min(0).optional(),
  webhookBatchMs: z.number().int().min(0).optional(),
  campaignsApi: z.enum(CAMPAIGNS_API_MODES).optional(),
  scopes: z.array(z.enum(SCOPES)).optional(),
  webhooks: z.boolean().optional(),
});

import { z } from 'zod';
import { CAMPAIGNS_API_MODES, FAULT_KINDS, type SandboxOptions } from './sandbox-options.ts';
import { SCOPES } from './scopes.ts';

const num = z.coerce.number();
const int = z.coerce.number().int();

/** A comma list such as `429, 503,timeout`; empty items are ignored. */
const commaList = z.string().transform((s) =>
  s
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== ''),
);

/** The `closeloop sandbox` flags as commander hands them over (strings, booleans, undefined). */
const flagsSchema = z.object({
  port: int.min(0).max(65535),
  host: z.string().optional(),
  accessToken: z.string().optional(),
  clientSecret: z.string().optional(),
  webhookUrl: z.url().optional(),
  appId: int.positive().optional(),
  portalId: int.positive().optional(),
  timeZone: z.string(),
  currency: z.string().length(3),
  requestsPer10s: int.min(0),
  windowMs: int.positive(),
  dailyLimit: int.min(0),
  searchPerSecond: int.min(0),
  failRate: num.min(0).max(1).optional(),
  faults: commaList.pipe(z.array(z.enum(FAULT_KINDS))).optional(),
  duplicateRate: num.min(0).max(1).optional(),
  shuffle: z.boolean().optional(),
  seed: int.optional(),
  lifecycleDates: z.enum(['v2', 'legacy']).optional(),
  associationPageSize: int.positive().optional(),
  campaignsApi: z.enum(CAMPAIGNS_API_MODES).optional(),
  scopes: commaList.pipe(z.array(z.enum(SCOPES))).optional(),
  /** Commander's `--no-webhooks` gives false; true is the default. */
  webhooks: z.boolean().optional(),
  subscriptions: z.string(),
  webhookBackoffScale: num.min(0).optional(),
});

export type FlagResult = { ok: true; options: Partial<SandboxOptions> } | { ok: false; problems: string[] };

export function sandboxOptionsFromFlags(flags: Record<string, unknown>): FlagResult {
  const parsed = flagsSchema.safeParse(flags);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map(
        (i) => `--${String(i.path[0] ?? '?').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`,
      ),
    };
  }
  const { subscriptions, ...rest } = parsed.data;
  const options = Object.fromEntries(
    Object.entries(rest).filter(([, v]) => v !== undefined),
  ) as Partial<SandboxOptions>;
  return { ok: true, options: { ...options, subscriptionsPath: subscriptions } };
}

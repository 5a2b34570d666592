import { z } from 'zod';
import { ConfigError } from './errors.ts';

const DEFAULT_CAMPAIGN_PROPERTIES = 'hs_analytics_first_touch_converting_campaign,hs_analytics_source_data_1';

const csv = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    );

const int = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const secret = (minLength: number) =>
  z.string().trim().min(minLength, `must be at least ${minLength} characters`).optional();

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((value) => value.replace(/\/+$/, ''));

const propertyName = z.string().regex(/^[a-z0-9_]+$/i, 'must be a HubSpot property name');

/** Every setting closeloop reads, by its environment variable name. */
export const envSchema = z.object({
  HUBSPOT_ACCESS_TOKEN: secret(8),
  HUBSPOT_CLIENT_SECRET: secret(8),
  PUBLIC_BASE_URL: httpUrl.optional(),
  HUBSPOT_BASE_URL: httpUrl.default('https://api.hubapi.com'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w{}:.-]+$/, 'letters, digits and _ { } : . - only')
    .default('closeloop'),
  PORT: int(3000, 0, 65535),
  DASHBOARD_TOKEN: secret(16),
  CAMPAIGN_PROPERTIES: csv(DEFAULT_CAMPAIGN_PROPERTIES).pipe(z.array(propertyName).min(1)),
  LEAD_DATE_PROPERTY: propertyName.default('createdate'),
  CLOSE_HORIZON_DAYS: int(180, 1, 3650),
  PIPELINES: csv('').pipe(z.array(z.string().min(1))),
  ATTRIBUTION: z.enum(['even', 'first', 'last']).default('even'),
  HUBSPOT_REQUESTS_PER_10S: int(100, 1, 10_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEBHOOK_DEDUPE_WINDOW_SECONDS: int(3600, 0, 7 * 24 * 3600),
  WEBHOOK_REDIS_TIMEOUT_MS: int(100, 10, 4000),
  WEBHOOK_LEGACY_SIGNATURES: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});

export type Env = z.infer<typeof envSchema>;

/** The settings as the rest of the code sees them. */
export interface Config {
  readonly hubspot: {
    readonly accessToken: string | undefined;
    readonly clientSecret: string | undefined;
    readonly baseUrl: string;
    readonly requestsPer10s: number;
  };
  readonly publicBaseUrl: string | undefined;
  readonly redis: { readonly url: string; readonly prefix: string };
  readonly port: number;
  readonly dashboardToken: string | undefined;
  readonly metrics: {
    readonly campaignProperties: readonly string[];
    readonly leadDateProperty: string;
    readonly closeHorizonDays: number;
    readonly pipelines: readonly string[];
    readonly attribution: 'even' | 'first' | 'last';
  };
  readonly logLevel: Env['LOG_LEVEL'];
  readonly webhooks: {
    readonly dedupeWindowSeconds: number;
    readonly redisTimeoutMs: number;
    readonly legacySignatures: boolean;
  };
}

export type RequiredSetting = 'HUBSPOT_ACCESS_TOKEN' | 'HUBSPOT_CLIENT_SECRET' | 'PUBLIC_BASE_URL';

const WHY_REQUIRED: Record<RequiredSetting, string> = {
  HUBSPOT_ACCESS_TOKEN: "required: the app's access token (HubSpot app → Auth tab)",
  HUBSPOT_CLIENT_SECRET: "required: the app's client secret, which signs webhooks (HubSpot app → Auth tab)",
  PUBLIC_BASE_URL: 'required: the public https URL HubSpot calls, e.g. https://closeloop.example.com',
};

/**
 * Parses the environment once, at start. Throws a ConfigError listing every problem; messages
 * name the variable and the rule, never the value, so secrets cannot leak into logs.
 */
export function loadConfig(env: NodeJS.ProcessEnv, required: readonly RequiredSetting[] = []): Config {
  // An empty variable means "not set", as in most deployment tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value?.trim()));
  const parsed = envSchema.safeParse(present);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  for (const name of required) {
    if (parsed.success && parsed.data[name] === undefined) problems.push(`${name}: ${WHY_REQUIRED[name]}`);
    if (!parsed.success && present[name] === undefined) problems.push(`${name}: ${WHY_REQUIRED[name]}`);
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return toConfig(parsed.data);
}

function toConfig(env: Env): Config {
  return {
    hubspot: {
      accessToken: env.HUBSPOT_ACCESS_TOKEN,
      clientSecret: env.HUBSPOT_CLIENT_SECRET,
      baseUrl: env.HUBSPOT_BASE_URL,
      requestsPer10s: env.HUBSPOT_REQUESTS_PER_10S,
    },
    publicBaseUrl: env.PUBLIC_BASE_URL,
    redis: { url: env.REDIS_URL, prefix: env.REDIS_PREFIX },
    port: env.PORT,
    dashboardToken: env.DASHBOARD_TOKEN,
    metrics: {
      campaignProperties: env.CAMPAIGN_PROPERTIES,
      leadDateProperty: env.LEAD_DATE_PROPERTY,
      closeHorizonDays: env.CLOSE_HORIZON_DAYS,
      pipelines: env.PIPELINES,
      attribution: env.ATTRIBUTION,
    },
    logLevel: env.LOG_LEVEL,
    webhooks: {
      dedupeWindowSeconds: env.WEBHOOK_DEDUPE_WINDOW_SECONDS,
      redisTimeoutMs: env.WEBHOOK_REDIS_TIMEOUT_MS,
      legacySignatures: env.WEBHOOK_LEGACY_SIGNATURES,
    },
  };
}

/**
 * The settings that decide what the figures mean. A projection built under other settings must
 * be rebuilt before its figures are used: figures never mix two configurations.
 */
export function meaningOf(config: Config): string {
  const { campaignProperties, leadDateProperty, closeHorizonDays, pipelines, attribution } = config.metrics;
  return JSON.stringify({
    campaignProperties,
    leadDateProperty,
    closeHorizonDays,
    pipelines: [...pipelines].sort(),
    attribution,
  });
}

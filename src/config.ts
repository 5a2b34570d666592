import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { PROJECTION_LAYOUT } from './store/layout.ts';

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

/**
 * Every setting closeloop reads, by its environment variable name. The README's configuration
 * table is generated from the descriptions here (`npm run docs:config`), so they cannot drift.
 */
export const envSchema = z.object({
  HUBSPOT_ACCESS_TOKEN: secret(8).meta({
    description:
      "the app's static access token (HubSpot app → Auth tab); needed by `work` and the verbs that call HubSpot",
  }),
  HUBSPOT_CLIENT_SECRET: secret(8).meta({
    description: "the app's client secret (Auth tab); signs webhooks and card requests; needed by `serve`",
  }),
  PUBLIC_BASE_URL: httpUrl.optional().meta({
    description:
      'the public URL HubSpot calls, e.g. `https://closeloop.example.com`; webhooks arrive at `PUBLIC_BASE_URL/webhooks/hubspot`; needed by `serve`',
  }),
  HUBSPOT_BASE_URL: httpUrl.default('https://api.hubapi.com').meta({
    description: "HubSpot's API; the sandbox's URL in tests and the demo",
  }),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379')
    .meta({
      description: 'Redis for queues, the projection and aggregates (AOF on, `maxmemory-policy noeviction`)',
    }),
  REDIS_CLUSTER: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .meta({
      description:
        '`true` when `REDIS_URL` is a node of a Redis Cluster; `REDIS_PREFIX` must then be a hash tag such as `{closeloop}`, which puts every key in one slot',
    }),
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w{}:.-]+$/, 'letters, digits and _ { } : . - only')
    .default('closeloop')
    .meta({ description: 'key prefix; on Redis Cluster use a hash tag, e.g. `{closeloop}`' }),
  PORT: int(3000, 0, 65535).meta({ description: 'HTTP port of `serve`' }),
  WORK_PORT: int(3001, 0, 65535).meta({
    description: 'HTTP port of `work`: `/healthz`, `/readyz` and `/metrics` for probes and Prometheus',
  }),
  DASHBOARD_TOKEN: secret(16).meta({
    description:
      'at least 16 characters; when set, the dashboard, API, metrics and `/admin/queues` require it',
  }),
  CAMPAIGN_PROPERTIES: csv(DEFAULT_CAMPAIGN_PROPERTIES).pipe(z.array(propertyName).min(1)).meta({
    description: "contact properties naming a lead's campaign, comma-separated; the first non-empty wins",
  }),
  LEAD_DATE_PROPERTY: propertyName
    .default('createdate')
    .meta({ description: "contact date property that starts a lead's clock" }),
  CLOSE_HORIZON_DAYS: int(180, 1, 3650).meta({
    description: 'horizon of the lag-aware close rate and the lead score, in days',
  }),
  PIPELINES: csv('')
    .pipe(z.array(z.string().min(1)))
    .meta({ description: 'comma-separated deal pipeline ids that count', defaultLabel: 'all' }),
  ATTRIBUTION: z.enum(['even', 'first', 'last']).default('even').meta({
    description: "how a won deal's revenue is split across its leads: `even`, `first`, `last`",
  }),
  HUBSPOT_REQUESTS_PER_10S: int(100, 1, 10_000).meta({
    description:
      "your HubSpot tier's per-app limit per 10 s (Starter 100, Professional/Enterprise 190); closeloop uses 80 % of it",
  }),
  HUBSPOT_CONCURRENCY: int(5, 1, 50).meta({
    description:
      'how many HubSpot calls a sync or write-back run makes at once for each object type; every call still takes a slot of the shared rate budget, so more helps only while HubSpot is slow to answer',
  }),
  HUBSPOT_DAILY_RESERVE_PERCENT: int(10, 0, 90).meta({
    description:
      "share of the account's daily API limit kept for live work: reconcile and backfill pause below it until midnight in the account's time zone",
  }),
  RECONCILE_INTERVAL_MINUTES: int(15, 0, 1440).meta({
    description:
      'how often the workers search for records modified since the last sweep and repair what webhooks missed; `0` turns it off',
  }),
  RECONCILE_ID_SWEEP_HOURS: int(24, 0, 720).meta({
    description:
      'how often the workers compare every record id in HubSpot with the projection, finding deletions and merges search cannot; `0` turns it off',
  }),
  SHUTDOWN_DRAIN_SECONDS: int(5, 0, 120).meta({
    description:
      'on SIGTERM, `serve` answers `/readyz` 503 this long before it closes its listener, so load balancers stop sending first',
  }),
  SHUTDOWN_TIMEOUT_SECONDS: int(25, 1, 3600).meta({
    description:
      'longest a SIGTERM waits for in-flight requests and jobs; a job cut off is picked up again by another worker',
  }),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .meta({ description: '`fatal`, `error`, `warn`, `info`, `debug`, `trace`, `silent`' }),
  WEBHOOK_DEDUPE_WINDOW_SECONDS: int(3600, 0, 7 * 24 * 3600).meta({
    description: 'how long a webhook event is remembered as seen; `0` turns deduplication off',
  }),
  WEBHOOK_REDIS_TIMEOUT_MS: int(100, 10, 4000).meta({
    description: 'how long a webhook may wait on Redis before it is answered 503 (HubSpot retries)',
  }),
  WEBHOOK_LEGACY_SIGNATURES: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .meta({
      description:
        'also accept v1/v2 signatures when a request has no v3 one (legacy apps only; v1/v2 can be replayed)',
    }),
});

export type Env = z.infer<typeof envSchema>;

/** The settings as the rest of the code sees them. */
export interface Config {
  readonly hubspot: {
    readonly accessToken: string | undefined;
    readonly clientSecret: string | undefined;
    readonly baseUrl: string;
    readonly requestsPer10s: number;
    /** Calls a sync or write-back run makes at once for each object type. */
    readonly concurrency: number;
    readonly dailyReservePercent: number;
  };
  readonly publicBaseUrl: string | undefined;
  readonly redis: { readonly url: string; readonly prefix: string; readonly cluster: boolean };
  readonly port: number;
  readonly workPort: number;
  readonly dashboardToken: string | undefined;
  readonly metrics: {
    readonly campaignProperties: readonly string[];
    readonly leadDateProperty: string;
    readonly closeHorizonDays: number;
    readonly pipelines: readonly string[];
    readonly attribution: 'even' | 'first' | 'last';
  };
  readonly reconcile: { readonly intervalMinutes: number; readonly idSweepHours: number };
  readonly shutdown: { readonly drainSeconds: number; readonly timeoutSeconds: number };
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
  // Lua scripts and transactions touch several keys at once: on a cluster they must share a slot.
  if (parsed.success && parsed.data.REDIS_CLUSTER && !/^\{[^{}]+\}/.test(parsed.data.REDIS_PREFIX))
    problems.push('REDIS_PREFIX: must start with a hash tag such as {closeloop} when REDIS_CLUSTER is true');
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
      concurrency: env.HUBSPOT_CONCURRENCY,
      dailyReservePercent: env.HUBSPOT_DAILY_RESERVE_PERCENT,
    },
    publicBaseUrl: env.PUBLIC_BASE_URL,
    redis: { url: env.REDIS_URL, prefix: env.REDIS_PREFIX, cluster: env.REDIS_CLUSTER },
    port: env.PORT,
    workPort: env.WORK_PORT,
    dashboardToken: env.DASHBOARD_TOKEN,
    metrics: {
      campaignProperties: env.CAMPAIGN_PROPERTIES,
      leadDateProperty: env.LEAD_DATE_PROPERTY,
      closeHorizonDays: env.CLOSE_HORIZON_DAYS,
      pipelines: env.PIPELINES,
      attribution: env.ATTRIBUTION,
    },
    reconcile: {
      intervalMinutes: env.RECONCILE_INTERVAL_MINUTES,
      idSweepHours: env.RECONCILE_ID_SWEEP_HOURS,
    },
    shutdown: { drainSeconds: env.SHUTDOWN_DRAIN_SECONDS, timeoutSeconds: env.SHUTDOWN_TIMEOUT_SECONDS },
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
    // How lead figures are stored; a projection in an older layout is rebuilt, like one computed
    // under other settings.
    figuresLayout: PROJECTION_LAYOUT,
    campaignProperties,
    leadDateProperty,
    closeHorizonDays,
    pipelines: [...pipelines].sort(),
    attribution,
  });
}

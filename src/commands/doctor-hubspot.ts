import type { Config } from '../config.ts';
import { type Check, clockVerdict, dailyBudgetVerdict } from '../core/doctor-verdicts.ts';
import { nextMidnight } from '../core/time-zone.ts';
import { HubSpotRequestError } from '../errors.ts';
import type { ObjectType } from '../hubspot/crm.ts';
import { reserveCalls } from '../hubspot/daily-budget.ts';
import type { HubSpotHttp } from '../hubspot/http.ts';
import { OWN_PROPERTIES } from '../hubspot/own-properties.ts';
import { type PortalSettings, stageDateProperty } from '../hubspot/portal.ts';
import { accountDetailsSchema, parseResponse, propertiesSchema } from '../hubspot/schemas.ts';
import { contactPropertiesRead, DEAL_PROPERTIES_READ } from '../hubspot/tracked-properties.ts';
import { scopeChecks } from './doctor-scopes.ts';

const ok = (name: string, detail: string): Check => ({ section: 'hubspot', name, status: 'ok', detail });
const fail = (name: string, detail: string, fix: string): Check => ({
  section: 'hubspot',
  name,
  status: 'fail',
  detail,
  fix,
});
const warn = (name: string, detail: string, fix: string): Check => ({
  ...fail(name, detail, fix),
  status: 'warn',
});

const headerNumber = (headers: Headers, name: string) => {
  const value = headers.get(name);
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
};

/** The account the token belongs to, the clock HubSpot keeps and the day's budget, from one call. */
async function tokenChecks(http: HubSpotHttp, config: Config, now: () => number) {
  const sent = now();
  const response = await http({ method: 'GET', path: '/account-info/v3/details', priority: 'live' });
  const received = now();
  const account = parseResponse(accountDetailsSchema, response.body, 'account details');
  const date = Date.parse(response.headers.get('date') ?? '');
  // The Date header has whole seconds: compare with the middle of the call, half a second on.
  const skew = Number.isNaN(date) ? undefined : date + 500 - (sent + received) / 2;
  const limit = headerNumber(response.headers, 'x-hubspot-ratelimit-daily');
  const remaining = headerNumber(response.headers, 'x-hubspot-ratelimit-daily-remaining');
  const budget =
    limit === undefined || remaining === undefined
      ? undefined
      : {
          limit,
          remaining,
          reserve: reserveCalls(limit, config.hubspot.dailyReservePercent),
          resetsAt: nextMidnight(received, account.timeZone),
        };
  return {
    account,
    checks: [
      ok('token', `portal ${account.portalId} (${account.uiDomain}), time zone ${account.timeZone}`),
      dailyBudgetVerdict(budget),
      { ...clockVerdict('HubSpot', skew), section: 'runtime' as const },
    ],
  };
}

function portalCheck(stored: PortalSettings | undefined, portalId: number): Check {
  if (!stored) return fail('setup', 'the portal is not set up: no job can run', 'run `closeloop setup`');
  if (stored.portalId !== portalId)
    return fail(
      'setup',
      `Redis holds portal ${stored.portalId} but the token belongs to portal ${portalId}`,
      'use the token of the portal that was set up, or a new REDIS_PREFIX and `closeloop setup`',
    );
  return ok('setup', `portal ${portalId} set up`);
}

async function propertiesOf(http: HubSpotHttp, type: ObjectType) {
  const response = await http({ method: 'GET', path: `/crm/v3/properties/${type}`, priority: 'live' });
  const parsed = parseResponse(propertiesSchema, response.body, `${type} properties`);
  return new Map(parsed.results.map((property) => [property.name, property]));
}

/** closeloop's own properties exist with their types; the ones it reads exist. */
function propertyChecks(
  type: ObjectType,
  found: Map<string, { type: string }>,
  reads: readonly string[],
): Check[] {
  const checks: Check[] = [];
  for (const own of OWN_PROPERTIES[type]) {
    const property = found.get(own.name);
    const name = `property ${type}.${own.name}`;
    if (!property) checks.push(fail(name, 'missing: its values cannot be written', 'run `closeloop setup`'));
    else if (property.type !== own.type)
      checks.push(
        fail(
          name,
          `has type ${property.type}, closeloop writes ${own.type}`,
          'delete the property in HubSpot (Settings → Properties), then run `closeloop setup`',
        ),
      );
  }
  const missing = reads.filter((name) => !found.has(name));
  if (missing.length > 0)
    checks.push(
      fail(
        `${type} properties read`,
        `the portal has no ${missing.join(', ')}`,
        'check CAMPAIGN_PROPERTIES and LEAD_DATE_PROPERTY against the portal’s property names',
      ),
    );
  if (checks.length === 0)
    checks.push(
      ok(`${type} properties`, `closeloop's ${OWN_PROPERTIES[type].length} and the ${reads.length} read`),
    );
  return checks;
}

/** Lifecycle-date properties the portal has now that setup did not see (stages added since). */
function stageDateCheck(stored: PortalSettings | undefined, contacts: Map<string, unknown>): Check[] {
  if (!stored) return [];
  const names = new Set(contacts.keys());
  const now = stored.stageOrder.flatMap((stage) => stageDateProperty(stage, names) ?? []);
  const known = new Set(Object.values(stored.stageDateProperties));
  const added = now.filter((name) => !known.has(name));
  return added.length === 0
    ? []
    : [
        warn(
          'lifecycle stages',
          `stage-entry dates setup did not see: ${added.join(', ')}`,
          'run `closeloop setup`, then `closeloop hubspot-project` and `hs project upload` for their webhooks',
        ),
      ];
}

/**
 * Everything doctor asks HubSpot: the token, its scopes, the properties, the budget and the clock.
 * `stored` is what setup saved, or null when Redis could not be asked.
 */
export async function hubspotChecks(
  http: HubSpotHttp,
  config: Config,
  stored: PortalSettings | undefined | null,
  now: () => number,
): Promise<Check[]> {
  let token: Awaited<ReturnType<typeof tokenChecks>>;
  try {
    token = await tokenChecks(http, config, now);
  } catch (error) {
    if (!(error instanceof HubSpotRequestError && error.status === 401)) throw error;
    return [
      fail(
        'token',
        'HubSpot refused the access token',
        "copy the token from the app's Auth tab into HUBSPOT_ACCESS_TOKEN",
      ),
    ];
  }
  const checks = [...token.checks];
  if (stored !== null) checks.push(portalCheck(stored, token.account.portalId));
  checks.push(...(await scopeChecks(http)));
  try {
    const contacts = await propertiesOf(http, 'contacts');
    const deals = await propertiesOf(http, 'deals');
    checks.push(...propertyChecks('contacts', contacts, contactPropertiesRead(config.metrics)));
    checks.push(...propertyChecks('deals', deals, DEAL_PROPERTIES_READ));
    checks.push(...stageDateCheck(stored ?? undefined, contacts));
  } catch (error) {
    if (!(error instanceof HubSpotRequestError && error.status === 403)) throw error;
    checks.push(
      fail('properties', 'could not be read (scope missing)', 'grant the read scopes listed above'),
    );
  }
  return checks;
}

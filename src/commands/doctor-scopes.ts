import type { Check, ScopeProbe } from '../core/doctor-verdicts.ts';
import { scopeVerdict } from '../core/doctor-verdicts.ts';
import { HubSpotRequestError } from '../errors.ts';
import type { HubSpotHttp, HubSpotRequest } from '../hubspot/http.ts';
import { OPTIONAL_SCOPES, REQUIRED_SCOPES } from '../hubspot/scopes.ts';

type Probe = Omit<HubSpotRequest, 'priority'>;

/**
 * A call per scope that needs exactly that scope and changes nothing: reads fetch one record;
 * writes send an empty batch. HubSpot checks scopes before it reads the body, so an empty batch
 * answers 403 without the scope and 200 or a validation 400 with it.
 */
const PROBES: Readonly<Record<string, Probe>> = {
  'crm.objects.contacts.read': { method: 'GET', path: '/crm/v3/objects/contacts', qs: { limit: '1' } },
  'crm.objects.contacts.write': {
    method: 'POST',
    path: '/crm/v3/objects/contacts/batch/update',
    body: { inputs: [] },
  },
  'crm.objects.deals.read': { method: 'GET', path: '/crm/v3/objects/deals', qs: { limit: '1' } },
  'crm.objects.deals.write': {
    method: 'POST',
    path: '/crm/v3/objects/deals/batch/update',
    body: { inputs: [] },
  },
  'crm.schemas.contacts.write': {
    method: 'POST',
    path: '/crm/v3/properties/contacts/batch/create',
    body: { inputs: [] },
  },
  'crm.schemas.deals.write': {
    method: 'POST',
    path: '/crm/v3/properties/deals/batch/create',
    body: { inputs: [] },
  },
  'marketing.campaigns.read': { method: 'GET', path: '/marketing/v3/campaigns', qs: { limit: '1' } },
};

async function probe(http: HubSpotHttp, request: Probe): Promise<{ outcome: ScopeProbe; body?: unknown }> {
  try {
    const response = await http({ ...request, priority: 'live' });
    return { outcome: 'granted', body: response.body };
  } catch (error) {
    if (!(error instanceof HubSpotRequestError)) throw error;
    // 403 is the missing scope; any other refusal came after the scope check passed.
    return { outcome: error.status === 403 ? 'missing' : 'granted' };
  }
}

/** HubSpot's revenue report needs a campaign to ask about: the first one the portal lists. */
function firstCampaign(body: unknown): string | undefined {
  const results = (body as { results?: { id?: unknown }[] } | undefined)?.results;
  const id = results?.[0]?.id;
  return typeof id === 'string' ? id : undefined;
}

/** Whether each scope closeloop needs is usable, by calling something that needs it. */
export async function scopeChecks(http: HubSpotHttp): Promise<Check[]> {
  const checks: Check[] = [];
  let campaign: string | undefined;
  for (const { scope, why } of REQUIRED_SCOPES) {
    const request = PROBES[scope];
    const result = request ? await probe(http, request) : { outcome: 'untested' as const };
    checks.push(scopeVerdict(scope, why, result.outcome, true));
  }
  for (const { scope, why } of OPTIONAL_SCOPES) {
    if (scope === 'marketing.campaigns.revenue.read') {
      const result = campaign
        ? await probe(http, { method: 'GET', path: `/marketing/v3/campaigns/${campaign}/reports/revenue` })
        : { outcome: 'untested' as const };
      checks.push(scopeVerdict(scope, why, result.outcome, false));
      continue;
    }
    const request = PROBES[scope];
    const result = request ? await probe(http, request) : { outcome: 'untested' as const };
    if (scope === 'marketing.campaigns.read') campaign = firstCampaign(result.body);
    checks.push(scopeVerdict(scope, why, result.outcome, false));
  }
  return checks;
}

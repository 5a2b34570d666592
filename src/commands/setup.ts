import type { Redis } from 'ioredis';
import { refreshCatalog } from '../../jobs/refresh-catalog.ts';
import type { ObjectType } from '../hubspot/crm.ts';
import type { HubSpotHttp } from '../hubspot/http.ts';
import { OWN_PROPERTIES, PROPERTY_GROUP } from '../hubspot/own-properties.ts';
import { detectPortal, type PortalSettings } from '../hubspot/portal.ts';
import { parseResponse, propertiesSchema, propertyGroupsSchema } from '../hubspot/schemas.ts';
import { portalKeys } from '../store/keys.ts';
import { savePortalSettings } from '../store/portal-state.ts';

export interface SetupReport {
  readonly portal: PortalSettings;
  /** One line per thing done or found, for the operator. */
  readonly lines: readonly string[];
}

async function ensureProperties(http: HubSpotHttp, type: ObjectType, lines: string[]): Promise<void> {
  const call = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    http({ method, path, body, priority: 'live' });
  const groups = parseResponse(
    propertyGroupsSchema,
    (await call('GET', `/crm/v3/properties/${type}/groups`)).body,
    `${type} groups`,
  );
  if (groups.results.some((group) => group.name === PROPERTY_GROUP.name)) {
    lines.push(`${type}: property group "${PROPERTY_GROUP.name}" exists`);
  } else {
    await call('POST', `/crm/v3/properties/${type}/groups`, PROPERTY_GROUP);
    lines.push(`${type}: created property group "${PROPERTY_GROUP.name}"`);
  }
  const existing = parseResponse(
    propertiesSchema,
    (await call('GET', `/crm/v3/properties/${type}`)).body,
    `${type} properties`,
  );
  const byName = new Map(existing.results.map((property) => [property.name, property]));
  const missing = OWN_PROPERTIES[type].filter((property) => !byName.has(property.name));
  for (const property of OWN_PROPERTIES[type].filter((own) => byName.has(own.name))) {
    const found = byName.get(property.name);
    // Never overwrite what a portal admin changed; a wrong type is reported for them to fix.
    const note =
      found && found.type !== property.type
        ? ` but has type ${found.type}, expected ${property.type}: fix it in HubSpot`
        : '';
    lines.push(`${type}: ${property.name} exists${note}`);
  }
  if (missing.length > 0) {
    const inputs = missing.map((property) => ({ ...property, groupName: PROPERTY_GROUP.name }));
    await call('POST', `/crm/v3/properties/${type}/batch/create`, { inputs });
    for (const property of missing) lines.push(`${type}: created ${property.name}`);
  }
}

/**
 * `closeloop setup`: idempotent. Reads the account and what the portal has (lifecycle stages and
 * their date properties, deal pipelines), stores it for the jobs, and creates the closeloop
 * property group and properties that are missing.
 */
export async function setup(http: HubSpotHttp, redis: Redis, prefix: string): Promise<SetupReport> {
  const portal = await detectPortal(http);
  const lines = [
    `portal ${portal.portalId} (${portal.uiDomain}), time zone ${portal.timeZone}, currency ${portal.currency}`,
    `lifecycle stages: ${portal.stageOrder.join(' → ')}`,
    `stage-entry dates: ${Object.values(portal.stageDateProperties).join(', ') || 'none found'}`,
    `deal pipelines: ${portal.pipelines.map((pipeline) => `${pipeline.label} (${pipeline.id})`).join(', ')}`,
  ];
  for (const type of ['contacts', 'deals'] as const) await ensureProperties(http, type, lines);
  await savePortalSettings(redis, prefix, portal);
  const campaigns = await refreshCatalog(
    http,
    redis,
    portalKeys(prefix, portal.portalId),
    Date.now(),
    'live',
  );
  if (campaigns) lines.push(campaigns);
  return { portal, lines };
}

import { z } from 'zod';
import type { HubSpotHttp } from './http.ts';
import { accountDetailsSchema, parseResponse, pipelinesSchema, propertiesSchema } from './schemas.ts';

/** What closeloop learns about a portal at setup and keeps for the jobs. */
export const portalSettingsSchema = z.object({
  portalId: z.number(),
  timeZone: z.string(),
  currency: z.string(),
  uiDomain: z.string(),
  /** Lifecycle stage ids in the portal's order, `other` left out. */
  stageOrder: z.array(z.string()),
  /** Stage id → the property holding its entry date, for the stages the portal records. */
  stageDateProperties: z.record(z.string(), z.string()),
  pipelines: z.array(z.object({ id: z.string(), label: z.string() })),
});
export type PortalSettings = z.infer<typeof portalSettingsSchema>;

/** Current portals name stage-entry dates hs_v2_date_entered_<id>; older ones hs_lifecyclestage_<id>_date. */
export function stageDateProperty(stage: string, existing: ReadonlySet<string>): string | undefined {
  return [`hs_v2_date_entered_${stage}`, `hs_lifecyclestage_${stage}_date`].find((name) =>
    existing.has(name),
  );
}

/** Reads the account, its lifecycle stages and date properties, and its deal pipelines. */
export async function detectPortal(http: HubSpotHttp): Promise<PortalSettings> {
  const get = (path: string) => http({ method: 'GET', path, priority: 'live' });
  const account = parseResponse(
    accountDetailsSchema,
    (await get('/account-info/v3/details')).body,
    'account details',
  );
  const properties = parseResponse(
    propertiesSchema,
    (await get('/crm/v3/properties/contacts')).body,
    'contact properties',
  );
  const pipelines = parseResponse(
    pipelinesSchema,
    (await get('/crm/v3/pipelines/deals')).body,
    'deal pipelines',
  );
  const lifecycle = properties.results.find((property) => property.name === 'lifecyclestage');
  const stageOrder = [...(lifecycle?.options ?? [])]
    .filter((option) => option.value !== 'other' && !option.hidden)
    .sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0))
    .map((option) => option.value);
  const names = new Set(properties.results.map((property) => property.name));
  const stageDateProperties = Object.fromEntries(
    stageOrder.flatMap((stage) => {
      const property = stageDateProperty(stage, names);
      return property ? [[stage, property]] : [];
    }),
  );
  return {
    portalId: account.portalId,
    timeZone: account.timeZone,
    currency: account.companyCurrency,
    uiDomain: account.uiDomain,
    stageOrder,
    stageDateProperties,
    pipelines: pipelines.results.filter((p) => !p.archived).map((p) => ({ id: p.id, label: p.label })),
  };
}

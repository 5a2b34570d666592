import { type Association, readAssociations } from './association-reader.ts';
import {
  type CrmRecord,
  listCampaignNames,
  listProperties,
  listRecords,
  type Portal,
  type PropertyList,
  portalNow,
} from './crm-reader.ts';
import type { OracleSettings } from './oracle-types.ts';

/** The portal's final state, as read over HubSpot's public API. */
export interface PortalSnapshot {
  readonly contacts: readonly CrmRecord[];
  readonly deals: readonly CrmRecord[];
  readonly associations: readonly Association[];
  /** Lifecycle stage ids by display order, hidden ones and `other` left out. */
  readonly stageOrder: readonly string[];
  /** HubSpot campaign id → name; empty when the Campaigns API is not available. */
  readonly campaignNames: ReadonlyMap<string, string>;
  /** Epoch ms. */
  readonly now: number;
}

const DEAL_PROPERTIES = [
  'pipeline',
  'dealstage',
  'amount',
  'amount_in_home_currency',
  'createdate',
  'closedate',
  'hs_is_closed_won',
  'hs_is_closed_lost',
];

const STAGE_DATE = /^(hs_v2_date_entered_.+|hs_lifecyclestage_.+_date)$/;
const OWN = /^closeloop_/;

function named(properties: PropertyList, pattern: RegExp): string[] {
  return properties.map((property) => property.name).filter((name) => pattern.test(name));
}

function stageOrder(properties: PropertyList): string[] {
  const options = properties.find((property) => property.name === 'lifecyclestage')?.options ?? [];
  return options
    .map((option, index) => ({ ...option, index }))
    .filter((option) => option.value !== 'other' && option.hidden !== true)
    .sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0) || a.index - b.index)
    .map((option) => option.value);
}

/** Reads everything the oracle needs from the portal. */
export async function readPortalSnapshot(portal: Portal, settings: OracleSettings): Promise<PortalSnapshot> {
  const contactProperties = await listProperties(portal, 'contacts');
  const dealProperties = await listProperties(portal, 'deals');
  const contactNames = [
    ...settings.campaignProperties,
    'hs_analytics_source',
    settings.leadDateProperty,
    'lifecyclestage',
    ...named(contactProperties, STAGE_DATE),
    ...named(contactProperties, OWN),
  ];
  const contacts = await listRecords(portal, 'contacts', [...new Set(contactNames)]);
  const deals = await listRecords(portal, 'deals', [...DEAL_PROPERTIES, ...named(dealProperties, OWN)]);
  const associations = await readAssociations(
    portal,
    contacts.map((contact) => contact.id),
  );
  return {
    contacts,
    deals,
    associations,
    stageOrder: stageOrder(contactProperties),
    campaignNames: (await listCampaignNames(portal)) ?? new Map(),
    now: await portalNow(portal),
  };
}

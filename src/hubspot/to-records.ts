import { campaignOf } from '../core/campaign-of.ts';
import type { ContactNode, DealNode } from '../core/recompute.ts';
import type { PortalSettings } from './portal.ts';
import type { CrmObject } from './schemas.ts';

/** HubSpot sends datetimes as ISO strings, dates as YYYY-MM-DD, and some older values as epoch ms. */
export function parseHubSpotDate(value: string | null | undefined): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  // Date.parse alone also accepts junk ("1", "12", "March 5" → dates in 2001): only ISO shapes go to it.
  const parsed = /^\d{10,}$/.test(trimmed)
    ? Number(trimmed)
    : /^\d{4}-\d{2}-\d{2}/.test(trimmed)
      ? Date.parse(trimmed)
      : Number.NaN;
  return Number.isFinite(parsed) ? parsed : null;
}

function parseAmount(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

export interface RecordSettings {
  readonly campaignProperties: readonly string[];
  readonly leadDateProperty: string;
}

/** The contact properties to read: the tracked ones plus the portal's stage-entry dates. */
export function contactReadProperties(tracked: readonly string[], portal: PortalSettings): string[] {
  return [...new Set([...tracked, ...Object.values(portal.stageDateProperties)])];
}

export function toContactNode(
  object: CrmObject,
  dealIds: readonly string[],
  settings: RecordSettings,
  portal: PortalSettings,
): ContactNode {
  const properties = object.properties;
  const stageEntered: Record<string, number> = {};
  for (const [stage, property] of Object.entries(portal.stageDateProperties)) {
    const date = parseHubSpotDate(properties[property]);
    if (date !== null) stageEntered[stage] = date;
  }
  return {
    campaign: campaignOf(properties, settings),
    leadDate: parseHubSpotDate(properties[settings.leadDateProperty]),
    stage: properties.lifecyclestage?.trim() || null,
    stageEntered,
    dealIds: [...new Set(dealIds)],
  };
}

export function toDealNode(object: CrmObject, contactIds: readonly string[]): DealNode | null {
  const properties = object.properties;
  const createdAt =
    parseHubSpotDate(properties.createdate) ?? parseHubSpotDate(object.createdAt as string | undefined);
  if (createdAt === null) return null;
  return {
    pipeline: properties.pipeline ?? 'default',
    createdAt,
    closedAt: parseHubSpotDate(properties.closedate),
    won: properties.hs_is_closed_won === 'true',
    lost: properties.hs_is_closed_lost === 'true',
    amount: parseAmount(properties.amount_in_home_currency) ?? parseAmount(properties.amount),
    contactIds: [...new Set(contactIds)],
  };
}

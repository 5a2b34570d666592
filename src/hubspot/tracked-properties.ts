/**
 * The HubSpot properties closeloop reads. The webhook filter, the sync's batch reads and the
 * HubSpot project's subscriptions all come from here, so they cannot drift apart.
 */

export const OWN_PROPERTY_PREFIX = 'closeloop_';

export interface TrackedPropertySettings {
  readonly campaignProperties: readonly string[];
  readonly leadDateProperty: string;
}

/** `hs_analytics_source` decides whether the drill-down is a campaign (not for `OFFLINE`). */
export function contactPropertiesRead(settings: TrackedPropertySettings): string[] {
  return unique([
    ...settings.campaignProperties,
    'hs_analytics_source',
    'createdate',
    settings.leadDateProperty,
    'lifecyclestage',
  ]);
}

export const DEAL_PROPERTIES_READ: readonly string[] = [
  'pipeline',
  'dealstage',
  'amount',
  'amount_in_home_currency',
  'closedate',
  'createdate',
  'hs_is_closed_won',
  'hs_is_closed_lost',
];

// Stage-entry dates move with `lifecyclestage`; current portals name them hs_v2_date_entered_<id>,
// older ones hs_lifecyclestage_<stage>_date. Which exist is detected per portal.
const LIFECYCLE_DATE = /^(hs_v2_date_entered_[a-z0-9_]+|hs_lifecyclestage_[a-z0-9_]+_date)$/;

export function isLifecycleDateProperty(name: string): boolean {
  return LIFECYCLE_DATE.test(name);
}

export function isOwnProperty(name: string): boolean {
  return name.startsWith(OWN_PROPERTY_PREFIX);
}

/** Whether a change to this property can change a figure closeloop computes. */
export function isTrackedProperty(
  object: 'contact' | 'deal',
  name: string,
  settings: TrackedPropertySettings,
): boolean {
  if (isOwnProperty(name)) return false;
  if (object === 'deal') return DEAL_PROPERTIES_READ.includes(name);
  return contactPropertySet(settings).has(name) || isLifecycleDateProperty(name);
}

// Asked once per webhook event: the set is built once per settings object, not per event.
const contactPropertySets = new WeakMap<TrackedPropertySettings, ReadonlySet<string>>();

function contactPropertySet(settings: TrackedPropertySettings): ReadonlySet<string> {
  let names = contactPropertySets.get(settings);
  if (!names) {
    names = new Set(contactPropertiesRead(settings));
    contactPropertySets.set(settings, names);
  }
  return names;
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

/** The campaign of contacts that have none of the campaign properties. */
export const NO_CAMPAIGN = '(none)';

// For offline sources HubSpot fills the drill-downs with the import channel (IMPORT, API,
// INTEGRATION, CRM_UI...), which names how the record arrived, not a campaign.
const DRILL_DOWNS = new Set(['hs_analytics_source_data_1', 'hs_analytics_source_data_2']);

export interface CampaignSettings {
  /** Contact properties naming the campaign, in order of preference. */
  readonly campaignProperties: readonly string[];
}

/**
 * The campaign of a contact: the first non-empty (trimmed) value among the campaign properties,
 * skipping the source drill-downs when the original source is OFFLINE; `(none)` otherwise.
 *
 * @param properties - the contact's HubSpot property values (strings or null)
 */
export function campaignOf(
  properties: Readonly<Record<string, string | null | undefined>>,
  settings: CampaignSettings,
): string {
  const offline = properties.hs_analytics_source?.trim().toUpperCase() === 'OFFLINE';
  for (const name of settings.campaignProperties) {
    if (offline && DRILL_DOWNS.has(name)) continue;
    const value = properties[name]?.trim();
    if (value) return value;
  }
  return NO_CAMPAIGN;
}

import type { CrmState } from './crm-state.ts';
import { readValue } from './record-view.ts';

/** The `attributionModel` values of `GET /marketing/v3/campaigns/{campaignGuid}/reports/revenue`. */
export const ATTRIBUTION_MODELS = [
  'LINEAR',
  'FIRST_INTERACTION',
  'LAST_INTERACTION',
  'FULL_PATH',
  'U_SHAPED',
  'W_SHAPED',
  'TIME_DECAY',
  'J_SHAPED',
  'INVERSE_J_SHAPED',
] as const;

export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

export type RevenueQuery = { model: AttributionModel; from?: number; to?: number };

export type RevenueReport = {
  contactsNumber: number;
  dealsNumber: number;
  dealAmount: number;
  revenueAmount: number;
};

/**
 * The campaigns a contact's credit goes to, with their shares. The sandbox keeps two interactions
 * per contact (first- and last-touch converting campaign), so the multi-touch models cannot be told
 * apart: they split evenly between the two.
 */
function touches(crm: CrmState, contactId: number, model: AttributionModel): Map<string, number> {
  const store = crm.contacts;
  const record = store.resolve(contactId);
  const read = (name: string) => (record ? readValue(store, record, name) : undefined);
  const first = read('hs_analytics_first_touch_converting_campaign');
  const last = read('hs_analytics_last_touch_converting_campaign');
  const picked =
    model === 'FIRST_INTERACTION' ? [first] : model === 'LAST_INTERACTION' ? [last] : [first, last];
  const campaigns = picked.filter((c): c is string => typeof c === 'string').map((c) => c.toLowerCase());
  const shares = new Map<string, number>();
  for (const c of campaigns) shares.set(c, (shares.get(c) ?? 0) + 1 / campaigns.length);
  return shares;
}

/** Closed-won deals closing in the range, each amount split evenly over its live contacts. */
export function campaignRevenue(crm: CrmState, campaignId: string, query: RevenueQuery): RevenueReport {
  const id = campaignId.toLowerCase();
  const report: RevenueReport = { contactsNumber: 0, dealsNumber: 0, dealAmount: 0, revenueAmount: 0 };
  for (const contact of crm.contacts.records()) {
    if (contact.archivedAt === undefined && touches(crm, contact.id, query.model).has(id))
      report.contactsNumber++;
  }
  const deals = crm.deals;
  for (const deal of deals.records()) {
    const closed = readValue(deals, deal, 'closedate');
    const won = readValue(deals, deal, 'hs_is_closed_won') === 'true';
    if (deal.archivedAt !== undefined || !won || typeof closed !== 'number') continue;
    if ((query.from !== undefined && closed < query.from) || (query.to !== undefined && closed >= query.to))
      continue;
    const contacts = crm.associations.of('deals', deal.id).filter((c) => {
      const linked = crm.contacts.resolve(c);
      return linked !== undefined && linked.archivedAt === undefined;
    });
    const amount = Number(readValue(deals, deal, 'amount') ?? 0);
    const credit = contacts.reduce((sum, c) => sum + (touches(crm, c, query.model).get(id) ?? 0), 0);
    if (credit === 0) continue;
    report.dealsNumber++;
    report.dealAmount += amount;
    report.revenueAmount += (amount * credit) / contacts.length;
  }
  return report;
}

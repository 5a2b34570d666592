import type { CampaignFigures } from './campaign-figures.ts';
import type { LeadStatus } from './funnel.ts';
import type { LeadFigures } from './lead-figures.ts';
import { type CampaignView, contactValues, dealValues, type PortalView } from './lead-values.ts';
import { fingerprint, type RecordValues } from './record-values.ts';

const CONTACT_FIELDS = [
  'closeloop_campaign',
  'closeloop_lead_score',
  'closeloop_lead_grade',
  'closeloop_campaign_close_rate',
  'closeloop_score_reason',
];
const DEAL_FIELDS = ['closeloop_campaign', 'closeloop_campaign_close_rate', 'closeloop_alignment_index'];

/** Blank values clear what closeloop wrote before (a contact that stopped being a lead). */
export const BLANK_CONTACT: RecordValues = Object.fromEntries(CONTACT_FIELDS.map((name) => [name, '']));
export const BLANK_DEAL: RecordValues = Object.fromEntries(DEAL_FIELDS.map((name) => [name, '']));

/** Σ won ÷ Σ leads over every campaign (fraction 0–1; 0 without leads). */
export function overallCloseRate(campaigns: readonly CampaignFigures[]): number {
  const leads = campaigns.reduce((sum, campaign) => sum + campaign.leads, 0);
  const won = campaigns.reduce((sum, campaign) => sum + campaign.won, 0);
  return leads > 0 ? won / leads : 0;
}

/**
 * A fingerprint of everything a campaign's records show that depends on the campaign as a whole:
 * its figures, and the version of the lag-aware statistics (curves move every time they are
 * computed, since open leads age). When it is unchanged, only records whose own figures changed
 * need rescoring.
 */
export function campaignSignature(view: CampaignView, portal: PortalView, statsVersion: string): string {
  const stub = (status: LeadStatus): LeadFigures => ({
    campaign: view.figures.campaign,
    leadDate: 0,
    status,
    opportunity: false,
    opportunityDate: null,
    closedDate: null,
    revenue: 0,
    wonDeals: 0,
    wonShares: [],
    stage: 0,
    skipped: false,
  });
  const statuses: LeadStatus[] = ['open', 'won', 'lost'];
  const values = statuses.map((status) => fingerprint(contactValues(stub(status), view, portal)));
  return [statsVersion, ...values, fingerprint(dealValues(view))].join('.');
}

import type { CampaignFigures } from './campaign-figures.ts';
import type { LeadStatus } from './funnel.ts';
import type { LeadScore } from './lead-score.ts';

/** The closeloop_* values shown on a record, as HubSpot stores them (strings). */
export type RecordValues = Readonly<Record<string, string>>;

function percent(fraction: number | null): string {
  return fraction === null ? '' : String(Math.round(fraction * 100));
}

/** The sentence a rep reads: rounded figures only, nothing that drifts on its own. */
export function scoreReason(status: LeadStatus, campaign: CampaignFigures): string {
  if (status === 'won') return 'This lead has a won deal.';
  if (status === 'lost') return 'Every deal of this lead was lost.';
  const { rate, low, high } = campaign.leadToClose;
  if (rate === null || low === null || high === null)
    return `No ${campaign.campaign} lead has an outcome yet.`;
  return `${campaign.campaign} leads close about ${percent(rate)} % of the time (${percent(low)}–${percent(high)} %).`;
}

/** What a contact shows, without `closeloop_scored_at` (which changes only when these do). */
export function contactValues(status: LeadStatus, campaign: CampaignFigures, score: LeadScore): RecordValues {
  return {
    closeloop_campaign: campaign.campaign,
    closeloop_lead_score: String(score.score),
    closeloop_lead_grade: score.grade,
    closeloop_campaign_close_rate: percent(campaign.leadToClose.rate),
    closeloop_score_reason: scoreReason(status, campaign),
  };
}

/** What a deal shows: its campaign's figures; alignment index with one decimal. */
export function dealValues(campaign: CampaignFigures): RecordValues {
  return {
    closeloop_campaign: campaign.campaign,
    closeloop_campaign_close_rate: percent(campaign.leadToClose.rate),
    closeloop_alignment_index: campaign.alignmentIndex === null ? '' : campaign.alignmentIndex.toFixed(1),
  };
}

/**
 * A compact fingerprint of the values (two 32-bit FNV-1a lanes over the key-ordered values): what
 * was last written, without keeping a copy of it.
 */
export function fingerprint(values: RecordValues): string {
  const text = Object.keys(values)
    .sort()
    .map((key) => `${key}=${values[key]}`)
    .join('\u001f');
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
  }
  return (a >>> 0).toString(36) + (b >>> 0).toString(36);
}

import type { CampaignFigures } from './campaign-figures.ts';
import { NO_CAMPAIGN } from './campaign-of.ts';
import { type LagScoreInputs, lagLeadScore } from './lag-score.ts';
import type { LagStats } from './lag-stats.ts';
import type { LeadFigures } from './lead-figures.ts';
import { leadScore } from './lead-score.ts';
import { SCORE_STAGE_LABELS } from './lead-stage.ts';
import type { RecordValues } from './record-values.ts';
import type { RateInterval } from './wilson.ts';

/** What a campaign's records are scored from: naive figures always, lag-aware ones once computed. */
export interface CampaignView {
  readonly figures: CampaignFigures;
  /** The campaign's name where HubSpot's Campaigns API gave one for its id. */
  readonly name?: string;
  readonly lag?: LagStats;
  /** Lag-aware close rate at H among leads that reached each score stage (null where not identified). */
  readonly stageRates?: readonly (number | null)[];
}

export interface PortalView {
  /** Naive all-campaign lead → close rate, 0–1. */
  readonly overallRate: number;
  /** Lag-aware close rate at H among every campaign's leads that reached each score stage. */
  readonly pooledStageRates?: readonly (number | null)[];
  readonly horizonDays: number;
}

const percent = (fraction: number | null) => (fraction === null ? '' : String(Math.round(fraction * 100)));

/** The close rate a record shows: lag-aware at H once it exists, naive until then (DESIGN.md). */
export function shownCloseRate(view: CampaignView): RateInterval {
  const lag = view.lag?.closeRateAtHorizon;
  return lag && lag.rate !== null ? lag : view.figures.leadToClose;
}

/** What records show for a campaign: its HubSpot name when known, else the value it was found under. */
export function displayName(view: CampaignView): string {
  return view.name ?? view.figures.campaign;
}

function subject(view: CampaignView): string {
  return view.figures.campaign === NO_CAMPAIGN ? 'Leads without a campaign' : `${displayName(view)} leads`;
}

/** One sentence a rep understands, with rounded figures only (nothing that drifts by itself). */
export function scoreReason(lead: LeadFigures, view: CampaignView, portal: PortalView): string {
  if (lead.status === 'won') return 'This lead has a won deal.';
  if (lead.status === 'lost') return 'Every deal of this lead was lost.';
  const stage = SCORE_STAGE_LABELS[lead.stage];
  const lag = view.lag?.closeRateAtHorizon;
  if (lag && lag.rate !== null && lag.low !== null && lag.high !== null) {
    const stageRate = lead.stage > 0 ? view.stageRates?.[lead.stage] : null;
    const reached =
      stageRate === null || stageRate === undefined
        ? ''
        : `; those that reached ${stage} close ${percent(stageRate)} %`;
    return `${subject(view)} close about ${percent(lag.rate)} % within ${portal.horizonDays} days (${percent(lag.low)}–${percent(lag.high)} %)${reached}.`;
  }
  const pooled = portal.pooledStageRates?.[lead.stage];
  if (view.lag && pooled !== null && pooled !== undefined) {
    return `${view.figures.campaign === NO_CAMPAIGN ? 'This lead has no campaign' : `${displayName(view)} is too new to judge`}; leads at ${stage} stage close about ${percent(pooled)} % across all campaigns.`;
  }
  const { rate, low, high } = view.figures.leadToClose;
  if (rate === null || low === null || high === null) return `${subject(view)} have no outcome yet.`;
  return `${subject(view)} close about ${percent(rate)} % of the time (${percent(low)}–${percent(high)} %).`;
}

/**
 * What a lead's contact shows (without `closeloop_scored_at`, which changes only when these do).
 * The score is lag-aware and stage-aware when the campaign's curves are given, else the naive
 * shrunk close rate.
 */
export function contactValues(
  lead: LeadFigures,
  view: CampaignView,
  portal: PortalView,
  score?: LagScoreInputs,
): RecordValues {
  const scored = score ? lagLeadScore(lead, score) : leadScore(lead.status, view.figures, portal.overallRate);
  return {
    closeloop_campaign: displayName(view),
    closeloop_lead_score: String(scored.score),
    closeloop_lead_grade: scored.grade,
    closeloop_campaign_close_rate: percent(shownCloseRate(view).rate),
    closeloop_score_reason: scoreReason(lead, view, portal),
  };
}

/** What a deal shows: its campaign, the campaign's close rate, the alignment index with one decimal. */
export function dealValues(view: CampaignView): RecordValues {
  const alignment = view.figures.alignmentIndex;
  return {
    closeloop_campaign: displayName(view),
    closeloop_campaign_close_rate: percent(shownCloseRate(view).rate),
    closeloop_alignment_index: alignment === null ? '' : alignment.toFixed(1),
  };
}

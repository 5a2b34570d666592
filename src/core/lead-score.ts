import type { CampaignFigures } from './campaign-figures.ts';
import type { LeadStatus } from './funnel.ts';

export type Grade = 'A' | 'B' | 'C' | 'D';

/** Pseudo-leads of prior weight: a campaign needs this many leads before its own data outweighs the portal's. */
export const PRIOR_LEADS = 30;

export interface ShrunkRate {
  /** Fraction 0–1. */
  readonly rate: number;
  /** Weight of the campaign's own data, 0–1: leads / (leads + prior leads). */
  readonly weight: number;
}

/**
 * A campaign's lead→close rate shrunk toward the all-campaign rate with a Beta(m·p₀, m·(1−p₀))
 * prior of m = PRIOR_LEADS pseudo-leads, so a campaign with 3 leads and 1 win cannot claim 33 %.
 *
 * @param won - won leads (or won-deal shares) of the campaign
 * @param leads - leads of the campaign
 * @param overallRate - all-campaign lead→close rate, fraction 0–1
 */
export function shrunkCloseRate(
  won: number,
  leads: number,
  overallRate: number,
  priorLeads = PRIOR_LEADS,
): ShrunkRate {
  const weight = leads / (leads + priorLeads);
  return { rate: (won + priorLeads * overallRate) / (leads + priorLeads), weight };
}

/**
 * Grade of a chance to close relative to the all-campaign rate: A at 1.5× or more, B at 1×–1.5×,
 * C at 0.5×–1×, D below half. With no close anywhere yet, every open lead is C.
 */
export function gradeOf(rate: number, overallRate: number): Grade {
  if (!(overallRate > 0)) return 'C';
  // The tolerance keeps 0.15 against 0.10 an A although 0.15 / 0.10 is 1.4999… in binary.
  const ratio = (rate / overallRate) * (1 + 1e-9);
  if (ratio >= 1.5) return 'A';
  if (ratio >= 1) return 'B';
  if (ratio >= 0.5) return 'C';
  return 'D';
}

export interface LeadScore {
  /** 0–100, the chance in percent. */
  readonly score: number;
  readonly grade: Grade;
}

/** Won leads score 100 (A), lost leads 0 (D); open leads their campaign's shrunk close rate. */
export function leadScore(status: LeadStatus, campaign: CampaignFigures, overallRate: number): LeadScore {
  if (status === 'won') return { score: 100, grade: 'A' };
  if (status === 'lost') return { score: 0, grade: 'D' };
  const shrunk = shrunkCloseRate(campaign.won, campaign.leads, overallRate);
  return { score: Math.round(shrunk.rate * 100), grade: gradeOf(shrunk.rate, overallRate) };
}

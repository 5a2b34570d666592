import type { Redis } from 'ioredis';
import { daysBetween } from '../core/days.ts';
import type { LeadFigures } from '../core/lead-figures.ts';
import { SCORE_STAGE_LABELS } from '../core/lead-stage.ts';
import { contactValues, displayName } from '../core/lead-values.ts';
import type { LiveProjection } from './live.ts';
import { loadScoring, type Scoring } from './scoring.ts';

export interface ScoredLead {
  readonly id: string;
  readonly status: LeadFigures['status'];
  readonly score: number;
  readonly grade: string;
  readonly reason: string;
  readonly stage: string;
  readonly ageDays: number;
}

async function score(
  scoring: Scoring,
  id: string,
  lead: LeadFigures,
  now: number,
): Promise<ScoredLead | undefined> {
  const view = scoring.views.get(lead.campaign);
  if (!view) return undefined;
  const values = contactValues(lead, view, scoring.portal, await scoring.inputs(lead.campaign));
  return {
    id,
    status: lead.status,
    score: Number(values.closeloop_lead_score),
    grade: values.closeloop_lead_grade ?? '',
    reason: values.closeloop_score_reason ?? '',
    stage: SCORE_STAGE_LABELS[lead.stage],
    ageDays: Math.floor(daysBetween(lead.leadDate, now)),
  };
}

export interface CampaignLeads {
  readonly campaign: string;
  readonly name: string;
  readonly open: number;
  /** Open leads per score band [low, high) of ten points (the last band includes 100). */
  readonly histogram: readonly { low: number; high: number; count: number }[];
  /** The open leads most likely to close, highest score first. */
  readonly top: readonly ScoredLead[];
}

/** The current scores of a campaign's open leads, as a rep's records would show them. */
export async function campaignLeads(
  redis: Redis,
  live: LiveProjection,
  campaign: string,
  horizonDays: number,
  now: number,
  limit = 50,
): Promise<CampaignLeads | undefined> {
  const scoring = await loadScoring(redis, live.keys, live.view, horizonDays, now);
  const view = scoring.views.get(campaign);
  if (!view) return undefined;
  const leads = await live.view.leads(await live.view.leadIdsOf(campaign));
  const scored: ScoredLead[] = [];
  for (const [id, lead] of leads) {
    if (lead.status !== 'open') continue;
    const result = await score(scoring, id, lead, now);
    if (result) scored.push(result);
  }
  const histogram = Array.from({ length: 10 }, (_, band) => ({
    low: band * 10,
    high: band * 10 + 10,
    count: scored.filter((lead) => Math.min(9, Math.floor(lead.score / 10)) === band).length,
  }));
  const top = scored.sort((a, b) => b.score - a.score || a.ageDays - b.ageDays).slice(0, limit);
  return { campaign, name: displayName(view), open: scored.length, histogram, top };
}

/** One contact's lead score as the record shows it; undefined when it is not a lead. */
export async function leadDetail(
  redis: Redis,
  live: LiveProjection,
  id: string,
  horizonDays: number,
  now: number,
): Promise<ScoredLead | undefined> {
  const lead = (await live.view.leads([id])).get(id);
  if (!lead) return undefined;
  return score(await loadScoring(redis, live.keys, live.view, horizonDays, now), id, lead, now);
}

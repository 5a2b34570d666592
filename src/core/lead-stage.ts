import type { LeadFacts } from './funnel.ts';

/** The stages a lead score distinguishes, in funnel order (HubSpot's default lifecycle stage ids). */
export const SCORE_STAGES = ['lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity'] as const;
export type ScoreStage = 0 | 1 | 2 | 3;
export const SCORE_STAGE_LABELS = ['lead', 'MQL', 'SQL', 'opportunity'] as const;

export interface StageSettings {
  /** The portal's lifecycle stage ids in order, `other` left out. */
  readonly stageOrder: readonly string[];
  /** Stages whose entry date the portal records (a missing date only means a skip for these). */
  readonly recordedStages: readonly string[];
}

function reached(lead: Pick<LeadFacts, 'stage'>, stage: string, settings: StageSettings): boolean {
  const at = settings.stageOrder.indexOf(stage);
  const current = lead.stage === null ? -1 : settings.stageOrder.indexOf(lead.stage);
  return at >= 0 && current >= at;
}

/**
 * The furthest score stage a lead has reached: opportunity when it is one (a counted deal or the
 * lifecycle stage), else the furthest of SQL and MQL its lifecycle stage is at or past, else lead.
 * Stages a lead skipped count as passed.
 */
export function furthestStage(
  lead: Pick<LeadFacts, 'stage'>,
  opportunity: boolean,
  settings: StageSettings,
): ScoreStage {
  if (opportunity) return 3;
  if (reached(lead, 'salesqualifiedlead', settings)) return 2;
  if (reached(lead, 'marketingqualifiedlead', settings)) return 1;
  return 0;
}

/**
 * Whether the lead passed a score stage without entering it: its lifecycle stage is at or past
 * MQL, SQL or opportunity, the portal records that stage's entry date, and this lead has none
 * (straight to customer, say).
 */
export function skippedStages(
  lead: Pick<LeadFacts, 'stage' | 'stageEntered'>,
  settings: StageSettings,
): boolean {
  return SCORE_STAGES.slice(1).some(
    (stage) =>
      reached(lead, stage, settings) &&
      settings.recordedStages.includes(stage) &&
      lead.stageEntered[stage] === undefined,
  );
}

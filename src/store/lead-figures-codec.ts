import type { LeadFigures } from '../core/lead-figures.ts';
import type { ScoreStage } from '../core/lead-stage.ts';

/**
 * Lead figures as stored in Redis: compact JSON that the aggregate script can decode. Revenue is
 * kept in integer hundredths and won-deal shares in integer millionths, so the aggregates are
 * integer sums: adding and later removing a lead restores them exactly, under any interleaving.
 */
export const REVENUE_SCALE = 100;
export const DEAL_SHARE_SCALE = 1_000_000;

interface Stored {
  c: string;
  d: number;
  s: 'o' | 'w' | 'l';
  o: 0 | 1;
  od?: number;
  cd?: number;
  r: number;
  w: number;
  /** Furthest score stage. */
  t: ScoreStage;
  /** 1 when the lead skipped a stage. */
  k: 0 | 1;
}

const STATUS_CODES = { open: 'o', won: 'w', lost: 'l' } as const;
const STATUSES = { o: 'open', w: 'won', l: 'lost' } as const;

/** Canonical (fixed key order) so equal figures encode to equal strings. */
export function encodeLeadFigures(figures: LeadFigures): string {
  const stored: Stored = {
    c: figures.campaign,
    d: figures.leadDate,
    s: STATUS_CODES[figures.status],
    o: figures.opportunity ? 1 : 0,
    r: Math.round(figures.revenue * REVENUE_SCALE),
    w: Math.round(figures.wonDeals * DEAL_SHARE_SCALE),
    t: figures.stage,
    k: figures.skipped ? 1 : 0,
  };
  if (figures.opportunityDate !== null) stored.od = figures.opportunityDate;
  if (figures.closedDate !== null) stored.cd = figures.closedDate;
  return JSON.stringify(stored);
}

export function decodeLeadFigures(text: string): LeadFigures {
  const stored = JSON.parse(text) as Stored;
  return {
    campaign: stored.c,
    leadDate: stored.d,
    status: STATUSES[stored.s],
    opportunity: stored.o === 1,
    opportunityDate: stored.od ?? null,
    closedDate: stored.cd ?? null,
    revenue: stored.r / REVENUE_SCALE,
    wonDeals: stored.w / DEAL_SHARE_SCALE,
    stage: stored.t ?? 0,
    skipped: stored.k === 1,
  };
}

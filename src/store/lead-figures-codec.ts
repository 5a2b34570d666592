import { type LeadFigures, sumWonShares } from '../core/lead-figures.ts';
import type { ScoreStage } from '../core/lead-stage.ts';

/**
 * Lead figures as stored in Redis: compact JSON that the aggregate script can decode. Won deals are
 * kept as [leads sharing the deal, amount in cents] pairs, so the aggregates are integer sums per
 * denominator: adding and later removing a lead restores them exactly, under any interleaving, and
 * a deal shared three ways adds up to the whole deal.
 */

interface Stored {
  c: string;
  d: number;
  s: 'o' | 'w' | 'l';
  o: 0 | 1;
  od?: number;
  cd?: number;
  /** Won deals: [leads sharing it, amount in cents]. */
  p: [number, number][];
  /** Furthest score stage. */
  t: ScoreStage;
  /** 1 when the lead skipped a stage. */
  k: 0 | 1;
}

const STATUS_CODES = { open: 'o', won: 'w', lost: 'l' } as const;
const STATUSES = { o: 'open', w: 'won', l: 'lost' } as const;

function byPair(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** Canonical (fixed key order) so equal figures encode to equal strings. */
export function encodeLeadFigures(figures: LeadFigures): string {
  const stored: Stored = {
    c: figures.campaign,
    d: figures.leadDate,
    s: STATUS_CODES[figures.status],
    o: figures.opportunity ? 1 : 0,
    p: figures.wonShares.map(({ of, cents }): [number, number] => [of, cents]).sort(byPair),
    t: figures.stage,
    k: figures.skipped ? 1 : 0,
  };
  if (figures.opportunityDate !== null) stored.od = figures.opportunityDate;
  if (figures.closedDate !== null) stored.cd = figures.closedDate;
  return JSON.stringify(stored);
}

export function decodeLeadFigures(text: string): LeadFigures {
  const stored = JSON.parse(text) as Stored;
  const wonShares = stored.p.map(([of, cents]) => ({ of, cents }));
  return {
    ...sumWonShares(wonShares),
    wonShares,
    campaign: stored.c,
    leadDate: stored.d,
    status: STATUSES[stored.s],
    opportunity: stored.o === 1,
    opportunityDate: stored.od ?? null,
    closedDate: stored.cd ?? null,
    stage: stored.t ?? 0,
    skipped: stored.k === 1,
  };
}

import type { RateInterval } from './wilson.ts';

const DAY = 86_400_000;

/** Money spent on a campaign over whole days [from, to), epoch ms at UTC midnight; amount in the portal's currency. */
export interface SpendPeriod {
  readonly from: number;
  readonly to: number;
  readonly amount: number;
}

/**
 * Spend that falls within a cohort's lead dates [from, to) (either end open), prorating periods
 * that straddle it by days, so spend lines up with the leads it bought.
 *
 * @returns amount in the portal's currency
 */
export function spendWithin(periods: readonly SpendPeriod[], from?: number, to?: number): number {
  let total = 0;
  for (const period of periods) {
    const start = Math.max(period.from, from ?? period.from);
    const end = Math.min(period.to, to ?? period.to);
    if (end <= start) continue;
    total += (period.amount * (end - start)) / Math.max(DAY, period.to - period.from);
  }
  return total;
}

export interface CostFigures {
  readonly spend: number | null;
  readonly costPerLead: number | null;
  readonly costPerWon: number | null;
  readonly costPerExpectedWon: {
    readonly value: number | null;
    readonly low: number | null;
    readonly high: number | null;
  } | null;
  readonly returnOnSpend: number | null;
}

/**
 * What a campaign's leads and won deals cost. Cost per expected won deal divides by the leads
 * times the lag-aware close rate at the horizon, so a young campaign is not judged by deals that
 * have not had time to close; its interval comes from the rate's interval (a higher rate means a
 * lower cost, so the bounds swap).
 *
 * @param spend - in the portal's currency; null when unknown
 * @param closeRateAtHorizon - fractions 0–1; null when not yet estimable
 */
export function costFigures(
  spend: number | null,
  figures: { readonly leads: number; readonly wonDeals: number; readonly revenue: number },
  closeRateAtHorizon: RateInterval | null,
): CostFigures {
  if (spend === null)
    return {
      spend: null,
      costPerLead: null,
      costPerWon: null,
      costPerExpectedWon: null,
      returnOnSpend: null,
    };
  const per = (count: number | null) => (count !== null && count > 0 ? spend / count : null);
  const expected = (rate: number | null) => (rate === null ? null : figures.leads * rate);
  return {
    spend,
    costPerLead: per(figures.leads),
    costPerWon: per(figures.wonDeals),
    costPerExpectedWon: closeRateAtHorizon
      ? {
          value: per(expected(closeRateAtHorizon.rate)),
          low: per(expected(closeRateAtHorizon.high)),
          high: per(expected(closeRateAtHorizon.low)),
        }
      : null,
    returnOnSpend: spend > 0 ? figures.revenue / spend : null,
  };
}

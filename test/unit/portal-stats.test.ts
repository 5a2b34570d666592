import { describe, expect, it } from 'vitest';
import type { LeadFigures } from '../../src/core/lead-figures.ts';
import { ALL_CAMPAIGNS, portalStats } from '../../src/core/portal-stats.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 1);
const H = 180;

function lead(
  campaign: string,
  stage: LeadFigures['stage'],
  status: LeadFigures['status'] = 'open',
  closedAfter: number | null = null,
): LeadFigures {
  const leadDate = NOW - 400 * DAY; // every lead followed 400 days ≥ H
  return {
    campaign,
    leadDate,
    status,
    opportunity: stage === 3,
    opportunityDate: stage === 3 ? leadDate : null,
    closedDate: closedAfter === null ? null : leadDate + closedAfter * DAY,
    revenue: 0,
    wonDeals: 0,
    wonShares: [],
    stage,
    skipped: false,
  };
}
const many = (count: number, make: () => LeadFigures) => Array.from({ length: count }, make);

describe('portalStats structure', () => {
  // Webinar: stage-0 open, stage-3 won at 10, stage-2 lost at 20, stage-1 open (2 won of 4 leads counting
  // another stage-3 win at 30). (none): 1 won of 6 leads.
  const webinar = [
    lead('Webinar', 0),
    lead('Webinar', 3, 'won', 10),
    lead('Webinar', 2, 'lost', 20),
    lead('Webinar', 1),
  ];
  const none = [lead('(none)', 3, 'won', 50), ...many(5, () => lead('(none)', 0))];
  const stats = portalStats(
    new Map([
      ['Webinar', webinar],
      ['(none)', none],
    ]),
    NOW,
    H,
    'v1',
  );

  it('keeps every campaign, (none) included, and adds the pooled curves under a name no campaign has', () => {
    expect([...stats.campaigns.keys()]).toEqual(['Webinar', '(none)']);
    expect([...stats.curves.keys()]).toEqual(['Webinar', '(none)', ALL_CAMPAIGNS]);
    expect([...stats.curves.values()].map((curves) => curves.length)).toEqual([4, 4, 4]);
    // Curves run to the oldest lead's age (400 days) + H.
    expect(stats.curves.get(ALL_CAMPAIGNS)![0]!.won).toHaveLength(400 + H + 1);
  });

  it('records how the statistics were computed', () => {
    expect(stats.meta).toMatchObject({ version: 'v1', computedAt: NOW, horizonDays: 180 });
  });

  it('rates per stage among leads that reached it', () => {
    // Webinar, nothing censored before H: stage ≥ 0: 1 win of 4 = 0.25; ≥ 1 (3 leads) 1/3; ≥ 2 (2) 1/2;
    // stage 3 (1) 1.
    const rates = stats.campaigns.get('Webinar')!.stageRates;
    for (const [stage, rate] of [0.25, 1 / 3, 0.5, 1].entries()) expect(rates[stage]).toBeCloseTo(rate, 12);
    expect(stats.campaigns.get('Webinar')!.lag.closeRateAtHorizon.rate).toBeCloseTo(0.25, 12);
    // (none): 1 of 6.
    expect(stats.campaigns.get('(none)')!.lag.closeRateAtHorizon.rate).toBeCloseTo(1 / 6, 12);
  });

  it('pools every campaign for the all-campaign figures', () => {
    // 2 wins of 10 leads, nothing censored before H.
    expect(stats.meta.all.lag.closeRateAtHorizon.rate).toBeCloseTo(0.2, 12);
    // Stage 3 across campaigns: the two opportunities both won.
    expect(stats.meta.all.stageRates[3]).toBeCloseTo(1, 12);
  });

  it('with fewer than 5 campaigns the prior falls back to 30 pseudo-leads at the pooled won/leads', () => {
    // Pooled: (1 + 1) / (4 + 6) = 0.2 → α = 0.2·30 = 6, β = 24.
    const prior = stats.meta.prior!;
    expect(prior.method).toBe('fallback');
    expect(prior.alpha).toBeCloseTo(6, 12);
    expect(prior.beta).toBeCloseTo(24, 12);
  });
});

describe('portalStats prior from the campaigns’ won/leads', () => {
  it('fits the method-of-moments prior from 5 campaigns', () => {
    // Won of 4 leads: 0, 4, 0, 4, 2. N = 20, pooled 0.5; MSB = Σ n (p − 0.5)² / 4 = (4·0.25·4) / 4 = 1;
    // MSW = Σ n p(1 − p) / (N − k) = (4·0.25) / 15 = 1/15; n₀ = (20 − 80/20) / 4 = 4;
    // ρ = (1 − 1/15) / (1 + 3/15) = 7/9 → α + β = (1 − ρ)/ρ = 2/7, α = β = 1/7.
    const won = [0, 4, 0, 4, 2];
    const byCampaign = new Map(
      won.map((count, index) => [
        `c${index}`,
        [
          ...many(count, () => lead(`c${index}`, 3, 'won', 5)),
          ...many(4 - count, () => lead(`c${index}`, 0)),
        ],
      ]),
    );
    const prior = portalStats(byCampaign, NOW, H, 'v2').meta.prior!;
    expect(prior.method).toBe('moments');
    expect(prior.alpha).toBeCloseTo(1 / 7, 12);
    expect(prior.beta).toBeCloseTo(1 / 7, 12);
  });

  it('counts won leads, not lost ones, as successes', () => {
    const byCampaign = new Map([['x', [lead('x', 3, 'lost', 5), lead('x', 3, 'won', 5), lead('x', 0)]]]);
    expect(portalStats(byCampaign, NOW, H, 'v').meta.prior!.alpha).toBeCloseTo(10, 12); // 1/3 of 30
  });

  it('without leads: no prior, no rates, and pooled curves of zeros', () => {
    const stats = portalStats(new Map(), NOW, H, 'v0');
    expect(stats.meta.prior).toBeNull();
    expect(stats.meta.all.lag.closeRateAtHorizon.rate).toBeNull();
    expect(stats.meta.all.stageRates).toEqual([null, null, null, null]);
    expect(stats.campaigns.size).toBe(0);
    expect(stats.curves.get(ALL_CAMPAIGNS)![0]!.won).toHaveLength(H + 1);
  });
});

import { describe, expect, it } from 'vitest';
import {
  type BacktestPoint,
  backtest,
  calibrate,
  calibrationOf,
  figuresAsOf,
} from '../../src/core/calibration.ts';
import type { LeadFigures } from '../../src/core/lead-figures.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 1);

function figures(
  leadDate: number,
  status: LeadFigures['status'] = 'open',
  closedDate: number | null = null,
  more: Partial<LeadFigures> = {},
): LeadFigures {
  return {
    campaign: 'Expo',
    leadDate,
    status,
    opportunity: false,
    opportunityDate: null,
    closedDate,
    revenue: status === 'won' ? 500 : 0,
    wonDeals: status === 'won' ? 1 : 0,
    wonShares: status === 'won' ? [{ of: 1, cents: 50_000 }] : [],
    stage: 0,
    skipped: false,
    ...more,
  };
}

describe('figuresAsOf: only what was known at t0', () => {
  const t0 = NOW - 30 * DAY;
  const opportunity = (date: number) => ({ opportunity: true, opportunityDate: date, stage: 3 as const });
  it.each([
    ['not a lead yet (lead date = t0)', figures(t0), null],
    ['won after t0: open then', figures(t0 - 9 * DAY, 'won', t0 + DAY), figures(t0 - 9 * DAY)],
    ['won at t0: known', figures(t0 - 9 * DAY, 'won', t0), figures(t0 - 9 * DAY, 'won', t0)],
    [
      'lost before t0: known',
      figures(t0 - 9 * DAY, 'lost', t0 - DAY),
      figures(t0 - 9 * DAY, 'lost', t0 - DAY),
    ],
    [
      'an opportunity after t0 was at most SQL then',
      figures(t0 - 9 * DAY, 'won', t0 + 2 * DAY, opportunity(t0 + DAY)),
      figures(t0 - 9 * DAY, 'open', null, { stage: 2 }),
    ],
    [
      'an opportunity before t0 stays one, still open',
      figures(t0 - 9 * DAY, 'won', t0 + 2 * DAY, opportunity(t0 - DAY)),
      figures(t0 - 9 * DAY, 'open', null, opportunity(t0 - DAY)),
    ],
    [
      'an MQL keeps its stage (no stage dates: the approximation)',
      figures(t0 - 9 * DAY, 'open', null, { stage: 1 }),
      figures(t0 - 9 * DAY, 'open', null, { stage: 1 }),
    ],
  ] as [string, LeadFigures, LeadFigures | null][])('%s', (_, now, then) => {
    expect(figuresAsOf(now, t0)).toEqual(then);
  });
});

describe('calibrationOf', () => {
  const point = (predicted: number, won: boolean): BacktestPoint => ({ campaign: 'x', predicted, won });
  it('Brier = mean (p − y)², baseline = ȳ(1 − ȳ), bands of predicted probability', () => {
    // (0.2 − 0)² and (0.8 − 1)²: 0.04 each → 0.04. ȳ = 1/2 → (0.25 + 0.25)/2 = 0.25.
    const result = calibrationOf([point(0.2, false), point(0.8, true)]);
    expect(result.brier).toBeCloseTo(0.04, 12);
    expect(result.baselineBrier).toBeCloseTo(0.25, 12);
    expect(result.bands.map((band) => band.count)).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 1, 0]);
    expect(result.bands[2]).toEqual({ low: 0.2, high: 0.3, predicted: 0.2, observed: 0, count: 1 });
    expect(result.bands[8]).toEqual({ low: 0.8, high: 0.9, predicted: 0.8, observed: 1, count: 1 });
    expect(result.bands[0]).toEqual({ low: 0, high: 0.1, predicted: null, observed: null, count: 0 });
  });
  it.each([
    [0, 0],
    [0.0999, 0],
    [0.3, 3],
    [0.7 - 0.4, 3], // 0.29999999999999993: a rounding error below the edge
    [0.95, 9],
    [1, 9], // the last band is closed: [0.9, 1.0]
  ])('puts %f in band %i', (predicted, band) => {
    expect(calibrationOf([point(predicted, false)]).bands[band]!.count).toBe(1);
  });
  it('is null without points, every band still listed', () => {
    const result = calibrationOf([]);
    expect(result).toMatchObject({ brier: null, baselineBrier: null });
    expect(result.bands.map((band) => [band.low, band.high, band.count])).toEqual(
      Array.from({ length: 10 }, (_, band) => [band / 10, (band + 1) / 10, 0]),
    );
  });
});

describe('backtest: scored as of t0 = now − H, judged on (t0, now]', () => {
  const H = 10;
  const t0 = NOW - H * DAY;
  const leads = [
    figures(t0 - 100 * DAY, 'won', t0 + 5 * DAY), // open at t0, won in the window
    figures(t0 - 50 * DAY, 'won', NOW), // won on the window's last moment
    figures(t0 - 50 * DAY, 'lost', t0 + 3 * DAY), // lost in the window
    figures(t0 - 20 * DAY, 'won', t0 - DAY), // closed before t0: not scored
    figures(t0 + DAY), // not a lead yet at t0
    figures(t0), // lead date = t0: not before it
    figures(t0 - 200 * DAY), // still open
  ];
  it('scores the leads open at t0 and judges them on the window', () => {
    // At t0 the only known outcome is the win at day 19; every open lead is older than 19 days, so the
    // curves (one campaign: own = pooled) give no further win: each chance is 0. The later wins must not
    // leak into the scores.
    expect(backtest(leads, NOW, H)).toEqual([
      { campaign: 'Expo', predicted: 0, won: true },
      { campaign: 'Expo', predicted: 0, won: true },
      { campaign: 'Expo', predicted: 0, won: false },
      { campaign: 'Expo', predicted: 0, won: false },
    ]);
    // Brier (1 + 1 + 0 + 0) / 4; ȳ = 1/2 → 1/4.
    expect(calibrate(leads, NOW, H)).toMatchObject({ brier: 0.5, baselineBrier: 0.25 });
  });
  it.each([0, 1.5, -3, Number.NaN])('refuses a horizon of %f days', (horizon) => {
    expect(() => backtest(leads, NOW, horizon)).toThrow(RangeError);
  });
});

describe('calibrate edge cases', () => {
  const H = 30;
  const t0 = NOW - H * DAY;
  const empty = { brier: null, baselineBrier: null };
  it('no leads', () => {
    expect(calibrate([], NOW, H)).toMatchObject(empty);
  });
  it('no lead old enough (every lead date ≥ t0)', () => {
    expect(calibrate([figures(t0), figures(NOW - DAY, 'won', NOW)], NOW, H)).toMatchObject(empty);
  });
  it('everything won before t0: nobody was open to score', () => {
    expect(calibrate([figures(t0 - 90 * DAY, 'won', t0 - 60 * DAY)], NOW, H)).toMatchObject(empty);
  });
  it('everything won, half of it in the window', () => {
    // 10 old leads won on day 10; 10 leads 5 days old at t0 (censored there), all won at t0 + 20 days.
    // At t0: F_won(10) = 10/10 = 1, so a 5-day-old lead's chance is (F(35) − F(5)) / (1 − 0) = 1 → 100.
    const old = Array.from({ length: 10 }, () => figures(NOW - 400 * DAY, 'won', NOW - 390 * DAY));
    const young = Array.from({ length: 10 }, () => figures(t0 - 5 * DAY, 'won', t0 + 20 * DAY));
    const result = calibrate([...old, ...young], NOW, H);
    expect(result).toMatchObject({ brier: 0, baselineBrier: 0 }); // ȳ = 1: no uncertainty left
    expect(result.bands[9]).toEqual({ low: 0.9, high: 1, predicted: 1, observed: 1, count: 10 });
  });
});

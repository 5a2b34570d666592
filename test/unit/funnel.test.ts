import { describe, expect, it } from 'vitest';
import { type DealFacts, type FunnelSettings, leadOutcome } from '../../src/core/funnel.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const NOW = T0 + 400 * DAY;
const settings: FunnelSettings = {
  pipelines: [],
  recordedStages: [],
  stageOrder: [
    'subscriber',
    'lead',
    'marketingqualifiedlead',
    'salesqualifiedlead',
    'opportunity',
    'customer',
    'evangelist',
  ],
};
const lead = { id: '1', campaign: 'webinar', leadDate: T0, stage: 'lead', stageEntered: {} };

function deal(overrides: Partial<DealFacts>): DealFacts {
  return {
    id: 'd1',
    pipeline: 'default',
    createdAt: T0 + 10 * DAY,
    closedAt: null,
    won: false,
    lost: false,
    amount: 1000,
    ...overrides,
  };
}

describe('leadOutcome', () => {
  it.each<[string, Partial<typeof lead>, DealFacts[], FunnelSettings, object]>([
    [
      'a lead with nothing is open',
      {},
      [],
      settings,
      { status: 'open', opportunity: false, opportunityDate: null, closedDate: null },
    ],
    [
      'an open deal makes an opportunity dated by the deal',
      {},
      [deal({})],
      settings,
      { status: 'open', opportunity: true, opportunityDate: T0 + 10 * DAY },
    ],
    [
      'a won deal makes it won at its close date',
      {},
      [deal({ won: true, closedAt: T0 + 40 * DAY })],
      settings,
      { status: 'won', closedDate: T0 + 40 * DAY },
    ],
    [
      'won beats lost; earliest won close date',
      {},
      [
        deal({ id: 'a', lost: true, closedAt: T0 + 20 * DAY }),
        deal({ id: 'b', won: true, closedAt: T0 + 60 * DAY }),
        deal({ id: 'c', won: true, closedAt: T0 + 50 * DAY }),
      ],
      settings,
      { status: 'won', closedDate: T0 + 50 * DAY },
    ],
    [
      'lost when every counted deal is lost, at the latest close date',
      {},
      [
        deal({ id: 'a', lost: true, closedAt: T0 + 20 * DAY }),
        deal({ id: 'b', lost: true, closedAt: T0 + 30 * DAY }),
      ],
      settings,
      { status: 'lost', closedDate: T0 + 30 * DAY },
    ],
    [
      'open while one deal is still open',
      {},
      [deal({ id: 'a', lost: true, closedAt: T0 + 20 * DAY }), deal({ id: 'b' })],
      settings,
      { status: 'open', opportunity: true },
    ],
    [
      'a deal created before the lead is a stakeholder deal: ignored',
      {},
      [deal({ createdAt: T0 - DAY, won: true, closedAt: T0 + DAY })],
      settings,
      { status: 'open', opportunity: false, countedDealIds: [] },
    ],
    [
      'a deal in an uncounted pipeline is ignored',
      {},
      [deal({ pipeline: 'renewals', won: true, closedAt: T0 + DAY })],
      { ...settings, pipelines: ['default'] },
      { status: 'open', opportunity: false },
    ],
    [
      'close dates are clamped to the lead date',
      {},
      [deal({ won: true, closedAt: T0 - 5 * DAY })],
      settings,
      { status: 'won', closedDate: T0 },
    ],
    [
      'close dates are clamped to now',
      {},
      [deal({ won: true, closedAt: NOW + 5 * DAY })],
      settings,
      { status: 'won', closedDate: NOW },
    ],
    [
      'a won deal without a close date closes now',
      {},
      [deal({ won: true, closedAt: null })],
      settings,
      { status: 'won', closedDate: NOW },
    ],
    [
      'lifecycle opportunity alone makes an opportunity, dated by its entry',
      { stage: 'opportunity', stageEntered: { opportunity: T0 + 3 * DAY } },
      [],
      settings,
      { status: 'open', opportunity: true, opportunityDate: T0 + 3 * DAY },
    ],
    [
      'a stage past opportunity counts; a skipped stage is dated by the next',
      { stage: 'customer', stageEntered: { customer: T0 + 7 * DAY } },
      [],
      settings,
      { status: 'open', opportunity: true, opportunityDate: T0 + 7 * DAY },
    ],
    [
      'a lifecycle stage alone never makes a lead won',
      { stage: 'customer', stageEntered: { customer: T0 + 7 * DAY } },
      [],
      settings,
      { status: 'open' },
    ],
    ['"other" is not past opportunity', { stage: 'other' }, [], settings, { opportunity: false }],
    [
      'earliest of deal and stage entry',
      { stage: 'opportunity', stageEntered: { opportunity: T0 + 20 * DAY } },
      [deal({ createdAt: T0 + 12 * DAY })],
      settings,
      { opportunityDate: T0 + 12 * DAY },
    ],
    [
      'the opportunity date is never before the lead date',
      { stage: 'opportunity', stageEntered: { opportunity: T0 - 2 * DAY } },
      [],
      settings,
      { opportunityDate: T0 },
    ],
    [
      'a stage reached without an entry date dates at the lead date',
      { stage: 'opportunity' },
      [],
      settings,
      { opportunity: true, opportunityDate: T0 },
    ],
    [
      'a portal without an opportunity stage relies on deals',
      { stage: 'customer' },
      [],
      { ...settings, stageOrder: ['lead', 'customer'] },
      { opportunity: false },
    ],
  ])('%s', (_name, overrides, deals, config, expected) => {
    expect(leadOutcome({ ...lead, ...overrides }, deals, config, NOW)).toMatchObject(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { furthestStage, skippedStages } from '../../src/core/lead-stage.ts';

const order = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
];
const settings = { stageOrder: order, recordedStages: order };

describe('furthestStage', () => {
  it.each([
    ['subscriber', false, 0],
    ['lead', false, 0],
    ['marketingqualifiedlead', false, 1],
    ['salesqualifiedlead', false, 2],
    ['customer', false, 2],
    ['lead', true, 3],
    [null, false, 0],
    ['other', false, 0],
  ] as const)('%s with opportunity=%s → %i', (stage, opportunity, expected) => {
    expect(furthestStage({ stage }, opportunity, settings)).toBe(expected);
  });

  it('follows a portal without an MQL stage', () => {
    const custom = { stageOrder: ['lead', 'salesqualifiedlead', 'customer'], recordedStages: [] };
    expect(furthestStage({ stage: 'customer' }, false, custom)).toBe(2);
  });
});

describe('skippedStages', () => {
  it.each([
    ['straight to customer', { stage: 'customer', stageEntered: { lead: 1, customer: 5 } }, settings, true],
    [
      'every stage entered',
      {
        stage: 'opportunity',
        stageEntered: { marketingqualifiedlead: 1, salesqualifiedlead: 2, opportunity: 3 },
      },
      settings,
      false,
    ],
    [
      'SQL skipped',
      { stage: 'opportunity', stageEntered: { marketingqualifiedlead: 1, opportunity: 3 } },
      settings,
      true,
    ],
    ['still a lead', { stage: 'lead', stageEntered: {} }, settings, false],
    [
      'a portal that records no dates cannot tell',
      { stage: 'customer', stageEntered: {} },
      { stageOrder: order, recordedStages: [] },
      false,
    ],
  ] as const)('%s', (_name, lead, config, expected) => {
    expect(skippedStages(lead, config)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import type { PortalSettings } from '../../src/hubspot/portal.ts';
import type { CrmObject } from '../../src/hubspot/schemas.ts';
import { parseHubSpotDate, toContactNode, toDealNode } from '../../src/hubspot/to-records.ts';

const JAN_15_10H = Date.UTC(2024, 0, 15, 10, 0, 0);

describe('parseHubSpotDate', () => {
  it.each([
    ['an ISO instant', '2024-01-15T10:00:00Z', JAN_15_10H],
    ['an ISO instant with milliseconds', '2024-01-15T10:00:00.250Z', JAN_15_10H + 250],
    ['an ISO instant with an offset', '2024-01-15T11:00:00+01:00', JAN_15_10H],
    ['a date-only value (midnight UTC)', '2024-01-15', Date.UTC(2024, 0, 15)],
    ['epoch milliseconds', String(JAN_15_10H), JAN_15_10H],
    ['a value padded with spaces', `  ${JAN_15_10H} `, JAN_15_10H],
  ])('reads %s', (_, value, expected) => {
    expect(parseHubSpotDate(value)).toBe(expected);
  });

  // Date.parse alone is lenient: V8 reads "1" or "12" as dates in 2001, which would invent lead
  // dates from a mistyped custom property.
  it.each([
    null,
    undefined,
    '',
    '   ',
    'not a date',
    'true',
    'Infinity',
    '1',
    '12',
    '-1',
    'March 5',
    '2024-13-45',
  ])('answers null for %j', (value) => {
    expect(parseHubSpotDate(value)).toBeNull();
  });
});

const portal: PortalSettings = {
  portalId: 62515,
  timeZone: 'UTC',
  currency: 'USD',
  uiDomain: 'app.hubspot.com',
  stageOrder: ['lead', 'opportunity', 'customer'],
  stageDateProperties: {
    lead: 'hs_v2_date_entered_lead',
    opportunity: 'hs_lifecyclestage_opportunity_date',
    customer: 'hs_v2_date_entered_customer',
  },
  pipelines: [{ id: 'default', label: 'Sales' }],
};
const settings = {
  campaignProperties: ['hs_analytics_first_touch_converting_campaign', 'hs_analytics_source_data_1'],
  leadDateProperty: 'createdate',
};

function object(properties: CrmObject['properties'], extra: Partial<CrmObject> = {}): CrmObject {
  return { id: '1', properties, ...extra };
}

describe('toContactNode', () => {
  it('reads campaign, lead date, stage and the entry dates the portal records', () => {
    const contact = object({
      hs_analytics_first_touch_converting_campaign: '',
      hs_analytics_source_data_1: ' spring-sale ',
      createdate: '2024-01-15T10:00:00Z',
      lifecyclestage: ' opportunity ',
      hs_v2_date_entered_lead: '2024-01-15T10:00:00Z',
      hs_lifecyclestage_opportunity_date: '2024-02-01',
      hs_v2_date_entered_customer: null,
    });

    expect(toContactNode(contact, ['d1', 'd2', 'd1'], settings, portal)).toEqual({
      campaign: 'spring-sale',
      leadDate: JAN_15_10H,
      stage: 'opportunity',
      stageEntered: { lead: JAN_15_10H, opportunity: Date.UTC(2024, 1, 1) },
      dealIds: ['d1', 'd2'],
    });
  });

  it.each([
    ['missing', undefined],
    ['blank', '  '],
  ])('has no stage when lifecyclestage is %s, and no lead date when its property is empty', (_, stage) => {
    const node = toContactNode(object({ lifecyclestage: stage, createdate: '' }), [], settings, portal);

    expect(node.stage).toBeNull();
    expect(node.leadDate).toBeNull();
    expect(node.campaign).toBe('(none)');
  });

  it('reads the lead date from the configured property', () => {
    const node = toContactNode(
      object({ createdate: '2023-01-01T00:00:00Z', hs_v2_date_entered_lead: '2024-01-15T10:00:00Z' }),
      [],
      { ...settings, leadDateProperty: 'hs_v2_date_entered_lead' },
      portal,
    );

    expect(node.leadDate).toBe(JAN_15_10H);
  });
});

describe('toDealNode', () => {
  const base = { createdate: '2024-01-15T10:00:00Z', pipeline: 'default' };

  it('reads pipeline, dates, outcome and contacts', () => {
    const deal = object({
      ...base,
      closedate: '2024-03-01T00:00:00Z',
      hs_is_closed_won: 'true',
      hs_is_closed_lost: 'false',
      amount: '1200',
    });

    expect(toDealNode(deal, ['c1', 'c2', 'c1'])).toEqual({
      pipeline: 'default',
      createdAt: JAN_15_10H,
      closedAt: Date.UTC(2024, 2, 1),
      won: true,
      lost: false,
      amount: 1200,
      contactIds: ['c1', 'c2'],
    });
  });

  it.each([
    ['home-currency amount over amount', { amount_in_home_currency: '1100.5', amount: '1000' }, 1100.5],
    ['amount when there is no home-currency amount', { amount: '1000' }, 1000],
    ['amount when the home-currency amount is blank', { amount_in_home_currency: ' ', amount: '1000' }, 1000],
    [
      'amount when the home-currency amount is not a number',
      { amount_in_home_currency: 'n/a', amount: '7' },
      7,
    ],
    ['no amount when neither is set', { amount: null }, null],
  ])('takes %s', (_, amounts, expected) => {
    expect(toDealNode(object({ ...base, ...amounts }), [])?.amount).toBe(expected);
  });

  it.each([
    ['won', { hs_is_closed_won: 'true', hs_is_closed_lost: 'false' }, true, false],
    ['lost', { hs_is_closed_won: 'false', hs_is_closed_lost: 'true' }, false, true],
    ['open', { hs_is_closed_won: 'false', hs_is_closed_lost: 'false' }, false, false],
    ['open, flags unset', {}, false, false],
  ])('reads a %s deal', (_, flags, won, lost) => {
    expect(toDealNode(object({ ...base, ...flags }), [])).toMatchObject({ won, lost });
  });

  it('falls back to the object’s createdAt and the default pipeline', () => {
    const deal = object({}, { createdAt: '2024-01-15T10:00:00Z' });

    expect(toDealNode(deal, [])).toMatchObject({
      createdAt: JAN_15_10H,
      pipeline: 'default',
      closedAt: null,
    });
  });

  it('skips a deal with no creation date at all', () => {
    expect(toDealNode(object({ createdate: 'garbage' }), [])).toBeNull();
  });
});

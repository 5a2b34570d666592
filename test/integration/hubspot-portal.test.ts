import { describe, expect, it } from 'vitest';
import { detectPortal, stageDateProperty } from '../../src/hubspot/portal.ts';
import { fakeHubSpot, hubspot, strictNock } from '../support/hubspot-fakes.ts';

strictNock();

const ACCOUNT = {
  portalId: 62515,
  accountType: 'STANDARD',
  timeZone: 'America/New_York',
  companyCurrency: 'EUR',
  additionalCurrencies: [],
  utcOffset: '-05:00',
  utcOffsetMilliseconds: -18_000_000,
  uiDomain: 'app-eu1.hubspot.com',
  dataHostingLocation: 'eu1',
};

function property(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    label: name,
    type: 'datetime',
    fieldType: 'date',
    groupName: 'contactinformation',
    ...extra,
  };
}

function option(value: string, displayOrder: number, hidden = false) {
  return { value, label: value, displayOrder, hidden };
}

function pipeline(id: string, archived: boolean) {
  return { id, label: `Pipeline ${id}`, displayOrder: 0, archived, stages: [] };
}

/** Serves the three reads detectPortal makes; each is expected exactly once. */
function servePortal(properties: unknown[], pipelines: unknown[] = [pipeline('default', false)]) {
  hubspot().get('/account-info/v3/details').reply(200, ACCOUNT);
  hubspot().get('/crm/v3/properties/contacts').reply(200, { results: properties });
  hubspot().get('/crm/v3/pipelines/deals').reply(200, { results: pipelines });
}

const lifecycle = (...options: ReturnType<typeof option>[]) =>
  property('lifecyclestage', { type: 'enumeration', fieldType: 'radio', options });

describe('detectPortal', () => {
  it('reads the account, contact properties and deal pipelines at live priority', async () => {
    const { http, budget } = fakeHubSpot();
    servePortal([lifecycle(option('lead', 0))]);

    const portal = await detectPortal(http);

    expect(portal).toMatchObject({
      portalId: 62515,
      timeZone: 'America/New_York',
      currency: 'EUR',
      uiDomain: 'app-eu1.hubspot.com',
    });
    expect(budget.acquired).toEqual(['live', 'live', 'live']);
  });

  it('orders lifecycle stages by displayOrder, leaving out `other` and hidden stages', async () => {
    const { http } = fakeHubSpot();
    servePortal([
      property('email', { type: 'string', fieldType: 'text' }),
      lifecycle(
        option('customer', 5),
        option('other', 7),
        option('subscriber', 0),
        option('opportunity', 4),
        option('retired_stage', 3, true),
        option('lead', 1),
        option('evangelist', 6),
        option('salesqualifiedlead', 2),
      ),
    ]);

    const portal = await detectPortal(http);

    expect(portal.stageOrder).toEqual([
      'subscriber',
      'lead',
      'salesqualifiedlead',
      'opportunity',
      'customer',
      'evangelist',
    ]);
  });

  it('maps each stage to the entry-date property the portal has, preferring hs_v2_date_entered_', async () => {
    const { http } = fakeHubSpot();
    servePortal([
      lifecycle(option('lead', 0), option('opportunity', 1), option('customer', 2), option('other', 3)),
      // lead: both exist; opportunity: legacy only; customer: neither; other: excluded anyway.
      property('hs_v2_date_entered_lead'),
      property('hs_lifecyclestage_lead_date'),
      property('hs_lifecyclestage_opportunity_date'),
      property('hs_v2_date_entered_other'),
    ]);

    const portal = await detectPortal(http);

    expect(portal.stageDateProperties).toEqual({
      lead: 'hs_v2_date_entered_lead',
      opportunity: 'hs_lifecyclestage_opportunity_date',
    });
  });

  it('keeps only pipelines that are not archived', async () => {
    const { http } = fakeHubSpot();
    servePortal(
      [lifecycle(option('lead', 0))],
      [pipeline('default', false), pipeline('old', true), pipeline('partners', false)],
    );

    const portal = await detectPortal(http);

    expect(portal.pipelines).toEqual([
      { id: 'default', label: 'Pipeline default' },
      { id: 'partners', label: 'Pipeline partners' },
    ]);
  });
});

describe('stageDateProperty', () => {
  it.each([
    ['both exist', ['hs_v2_date_entered_lead', 'hs_lifecyclestage_lead_date'], 'hs_v2_date_entered_lead'],
    ['only the current one exists', ['hs_v2_date_entered_lead'], 'hs_v2_date_entered_lead'],
    ['only the legacy one exists', ['hs_lifecyclestage_lead_date'], 'hs_lifecyclestage_lead_date'],
    ['neither exists', ['hs_v2_date_entered_customer'], undefined],
  ])('answers %s', (_, existing, expected) => {
    expect(stageDateProperty('lead', new Set(existing))).toBe(expected);
  });
});

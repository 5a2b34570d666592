/**
 * A small portal whose figures are worked out by hand in the tests: with a 30-day horizon, every
 * lead but one is older than H, so the lag-aware close rate has a closed form.
 */
export const DAY = 86_400_000;
export const HORIZON_DAYS = 30;
export const WEBINAR_ID = '8c3e2a51-4f0b-4d7e-9a61-2b7c5d9e0f13';
export const WEBINAR_NAME = 'Spring Webinar';
export const RENEWALS = '781236450';

const ago = (now: number, days: number) => new Date(now - days * DAY).toISOString();

function contact(now: number, id: number, age: number, properties: Record<string, string>) {
  return {
    id: String(id),
    properties: {
      email: `hand${id}@example.com`,
      createdate: ago(now, age),
      lifecyclestage: 'lead',
      ...properties,
    },
  };
}

function deal(now: number, id: number, stage: string, amount: number, created: number, closed: number) {
  return {
    id: String(id),
    properties: {
      dealname: `Hand ${id}`,
      pipeline: stage.startsWith('7812') ? RENEWALS : 'default',
      dealstage: stage,
      amount: String(amount),
      createdate: ago(now, created),
      closedate: ago(now, closed),
    },
  };
}

const webinar = {
  hs_analytics_source: 'PAID_SOCIAL',
  hs_analytics_first_touch_converting_campaign: WEBINAR_ID,
};
const ads = { hs_analytics_source: 'PAID_SEARCH', hs_analytics_source_data_1: 'ads' };

/** The seed body for `POST /__sandbox/seed`, dated back from the sandbox's now. */
export function handPortal(now: number) {
  return {
    campaigns: [{ id: WEBINAR_ID, name: WEBINAR_NAME }],
    contacts: [
      // Webinar: won within H (day 10), won after H (day 100), opportunity by stage only, and the
      // later lead of the shared deal (won on day 15).
      contact(now, 11, 200, {
        ...webinar,
        hs_analytics_source_data_1: 'brand-keyword',
        lifecyclestage: 'customer',
      }),
      contact(now, 12, 200, webinar),
      contact(now, 13, 150, { ...webinar, lifecyclestage: 'opportunity' }),
      contact(now, 18, 60, webinar),
      // ads: lost; a deal older than the lead; a won deal in the Renewals pipeline; the earlier lead
      // of the shared deal (won on day 35, after H).
      contact(now, 14, 120, ads),
      contact(now, 15, 100, ads),
      contact(now, 16, 90, ads),
      contact(now, 17, 80, ads),
      // (none): an offline import, whose drill-down names the channel; no source at all, at customer.
      contact(now, 19, 70, { hs_analytics_source: 'OFFLINE', hs_analytics_source_data_1: 'IMPORT' }),
      contact(now, 20, 60, { lifecyclestage: 'customer' }),
      // A campaign younger than H.
      contact(now, 21, 5, { hs_analytics_source: 'PAID_SEARCH', hs_analytics_source_data_1: 'fresh' }),
    ],
    deals: [
      deal(now, 901, 'closedwon', 1000, 190, 190),
      deal(now, 902, 'closedwon', 3000, 150, 100),
      deal(now, 903, 'closedlost', 800, 110, 100),
      deal(now, 904, 'closedwon', 5000, 300, 250),
      deal(now, 905, '781236453', 7000, 80, 70),
      deal(now, 906, 'closedwon', 900, 50, 45),
    ],
    associations: [
      { contactId: '11', dealId: '901' },
      { contactId: '12', dealId: '902' },
      { contactId: '14', dealId: '903' },
      { contactId: '15', dealId: '904' },
      { contactId: '16', dealId: '905' },
      { contactId: '17', dealId: '906' },
      { contactId: '18', dealId: '906' },
    ],
  };
}

/** Wilson 95 % interval, written out for the hand numbers. */
export function wilsonByHand(successes: number, trials: number) {
  const z = 1.959963984540054;
  const p = successes / trials;
  const centre = p + (z * z) / (2 * trials);
  const spread = z * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials));
  const denominator = 1 + (z * z) / trials;
  return {
    rate: p,
    low: p === 0 ? 0 : (centre - spread) / denominator,
    high: p === 1 ? 1 : (centre + spread) / denominator,
  };
}

/** A proportion of n with no censoring: log(−log) interval on the binomial variance. */
export function incidenceByHand(events: number, n: number) {
  const f = events / n;
  if (events === 0) return { rate: 0, low: 0, high: 1 - 0.025 ** (1 / n) };
  const power = Math.exp((1.959963984540054 * Math.sqrt((f * (1 - f)) / n)) / (f * Math.abs(Math.log(f))));
  return { rate: f, low: f ** power, high: f ** (1 / power) };
}

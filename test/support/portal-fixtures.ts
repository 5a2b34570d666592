/**
 * Records for `/__sandbox/seed`: a lead from a paid campaign, and a deal in the default pipeline.
 * Dates default to a spring lead and a summer deal; tests override what they are about.
 */
export function leadContact(id: number, campaign: string, properties: Record<string, string> = {}) {
  return {
    id: String(id),
    properties: {
      email: `lead${id}@example.com`,
      createdate: '2026-05-01T09:00:00.000Z',
      lifecyclestage: 'lead',
      hs_analytics_source: 'PAID_SEARCH',
      hs_analytics_source_data_1: campaign,
      ...properties,
    },
  };
}

export function pipelineDeal(
  id: number,
  stage: string,
  amount: number,
  properties: Record<string, string> = {},
) {
  return {
    id: String(id),
    properties: {
      dealname: `Deal ${id}`,
      pipeline: 'default',
      dealstage: stage,
      amount: String(amount),
      createdate: '2026-06-01T09:00:00.000Z',
      closedate: '2026-07-01T09:00:00.000Z',
      ...properties,
    },
  };
}

/** `count` leads of `campaign` with ids from `first`. */
export function leads(first: number, count: number, campaign: string) {
  return Array.from({ length: count }, (_, i) => leadContact(first + i, campaign));
}

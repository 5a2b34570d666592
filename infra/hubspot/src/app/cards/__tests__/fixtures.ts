// The contract's example answer, and helpers to build what hubspot.fetch resolves with.

export const BASE_URL = 'https://closeloop.acme.test';

export const contactAnswer = () => ({
  record: { type: 'contacts', id: '4711' },
  lead: {
    status: 'open',
    score: 26,
    grade: 'A',
    reason: 'Spring webinar leads close about 22 % within 180 days (15–31 %).',
  },
  campaign: {
    key: 'spring-webinar',
    name: 'Spring webinar',
    leads: 98,
    closeRateAtHorizon: { days: 180, rate: 0.224, low: 0.148, high: 0.311, maturity: 1 },
    leadToClose: { rate: 0.224, low: 0.153, high: 0.317 },
    alignmentIndex: 4.86,
  },
});

export const dealAnswer = () => ({ ...contactAnswer(), record: { type: 'deals', id: '99' }, lead: null });

export const tooNewAnswer = () => {
  const answer = contactAnswer();
  answer.campaign.closeRateAtHorizon = {
    days: 180,
    rate: null,
    low: null,
    high: null,
    maturity: 0.3,
  } as never;
  answer.campaign.leadToClose = { rate: 0.03, low: 0.01, high: 0.09 };
  answer.campaign.alignmentIndex = null as never;
  return answer;
};

export const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The no-break space the card puts between a number and its unit. */
export const nb = (text: string): string => text.replace(/(\d) (%|leads?\b|days?\b)/g, '$1\u00a0$2');

import {
  Alert,
  Button,
  EmptyState,
  ErrorState,
  hubspot,
  LoadingSpinner,
  StatisticsItem,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';

import { CloseloopCard } from '../CloseloopCard';
import { BASE_URL, contactAnswer, dealAnswer, json, nb, tooNewAnswer } from './fixtures';

type Fetch = typeof hubspot.fetch;

let fetchSpy: MockInstance<Fetch>;

beforeEach(() => {
  fetchSpy = vi.spyOn(hubspot, 'fetch');
});

afterEach(() => {
  vi.restoreAllMocks();
});

function renderCard(options: { objectTypeId?: string; objectId?: number; baseUrl?: string | null } = {}) {
  const renderer = createRenderer('crm.record.sidebar');
  renderer.mocks.context.crm.objectTypeId = options.objectTypeId ?? '0-1';
  renderer.mocks.context.crm.objectId = options.objectId ?? 4711;
  const baseUrl = options.baseUrl === undefined ? BASE_URL : options.baseUrl;
  renderer.mocks.context.variables = baseUrl === null ? {} : { CLOSELOOP_BASE_URL: baseUrl };
  renderer.render(<CloseloopCard />);
  return renderer;
}

const answer = (response: Response | Promise<Response>) =>
  fetchSpy.mockImplementation((() => Promise.resolve(response)) as Fetch);

describe('the request', () => {
  it('asks closeloop for the contact in the extension context', async () => {
    answer(json(200, contactAnswer()));
    const { waitFor } = renderCard({ objectTypeId: '0-1', objectId: 4711 });
    await waitFor(() => expect(fetchSpy).toHaveBeenCalledTimes(1));
    expect(fetchSpy).toHaveBeenCalledWith('https://closeloop.acme.test/api/card/contacts/4711', {
      method: 'GET',
      timeout: 10_000,
    });
  });

  it('asks closeloop for the deal in the extension context', async () => {
    answer(json(200, dealAnswer()));
    const { waitFor } = renderCard({ objectTypeId: '0-3', objectId: 99 });
    await waitFor(() => expect(fetchSpy).toHaveBeenCalledTimes(1));
    expect(fetchSpy.mock.calls[0]?.[0]).toBe('https://closeloop.acme.test/api/card/deals/99');
  });

  it('keeps a path in the base URL and drops its trailing slash', async () => {
    answer(json(200, contactAnswer()));
    const { waitFor } = renderCard({ baseUrl: 'https://acme.test/closeloop/', objectId: 5 });
    await waitFor(() => expect(fetchSpy).toHaveBeenCalledTimes(1));
    expect(fetchSpy.mock.calls[0]?.[0]).toBe('https://acme.test/closeloop/api/card/contacts/5');
  });
});

describe('a contact with a score and a campaign', () => {
  it("shows the lead's score, grade and reason and its campaign's figures", async () => {
    answer(json(200, contactAnswer()));
    const { waitFor, findByTestId } = renderCard();
    await waitFor(() => expect(findByTestId(StatisticsItem, 'close-rate')).toBeDefined());

    expect(findByTestId(StatisticsItem, 'lead-score').props.number).toBe('26');
    expect(findByTestId(Tag, 'lead-grade').text).toBe('Grade A');
    expect(findByTestId(Text, 'lead-reason').text).toBe(contactAnswer().lead.reason);
    expect(findByTestId(Text, 'campaign-name').text).toBe('Spring webinar');

    const closeRate = findByTestId(StatisticsItem, 'close-rate');
    expect(closeRate.props.number).toBe(nb('22 %'));
    expect(closeRate.props.label).toBe(nb('Leads who close within 180 days'));
    expect(findByTestId(Text, 'close-rate-interval').text).toBe(nb('95 % interval: 15–31 %'));
    expect(findByTestId(Text, 'cohort').text).toBe(nb('Cohort: 98 leads'));
    expect(findByTestId(Text, 'maturity').text).toBe("All of this campaign's leads have had time to close.");
    expect(findByTestId(Text, 'alignment').text).toBe(
      'Alignment index 4.9: Brings 4.9× the revenue its share of leads suggests.',
    );
  });

  it('says how mature the cohort is in whole percents', async () => {
    const body = contactAnswer();
    body.campaign.closeRateAtHorizon.maturity = 0.843;
    answer(json(200, body));
    const { waitFor, findByTestId } = renderCard();
    await waitFor(() =>
      expect(findByTestId(Text, 'maturity').text).toBe(
        nb("84 % of this campaign's leads have had time to close."),
      ),
    );
  });

  it('shows a dash for an unknown score and flags a won lead', async () => {
    const body = contactAnswer();
    body.lead = { status: 'won', score: null, grade: null, reason: null } as never;
    answer(json(200, body));
    const { waitFor, findByTestId, maybeFindByTestId } = renderCard();
    await waitFor(() => expect(findByTestId(StatisticsItem, 'lead-score').props.number).toBe('—'));
    expect(findByTestId(Tag, 'lead-status').text).toBe('Won');
    expect(maybeFindByTestId(Tag, 'lead-grade')).toBeNull();
    expect(maybeFindByTestId(Text, 'lead-reason')).toBeNull();
  });

  it("says when a contact isn't a lead but still shows its campaign", async () => {
    answer(json(200, { ...contactAnswer(), lead: null }));
    const { waitFor, findByTestId } = renderCard();
    await waitFor(() => expect(findByTestId(Text, 'not-a-lead')).toBeDefined());
    expect(findByTestId(Text, 'campaign-name').text).toBe('Spring webinar');
  });

  it('shows the lead and says so when there are no campaign figures', async () => {
    answer(json(200, { ...contactAnswer(), campaign: null }));
    const { waitFor, findByTestId, maybeFindByTestId } = renderCard();
    await waitFor(() => expect(findByTestId(Text, 'no-campaign')).toBeDefined());
    expect(findByTestId(StatisticsItem, 'lead-score').props.number).toBe('26');
    expect(maybeFindByTestId(EmptyState, 'no-figures')).toBeNull();
  });
});

describe('a deal', () => {
  it('shows the campaign figures and no lead block', async () => {
    answer(json(200, dealAnswer()));
    const { waitFor, findByTestId, maybeFindByTestId } = renderCard({ objectTypeId: '0-3', objectId: 99 });
    await waitFor(() => expect(findByTestId(StatisticsItem, 'close-rate').props.number).toBe(nb('22 %')));
    expect(maybeFindByTestId(StatisticsItem, 'lead-score')).toBeNull();
    expect(maybeFindByTestId(Text, 'not-a-lead')).toBeNull();
    expect(findByTestId(Text, 'alignment').text).toContain('4.9');
  });

  it('ignores a lead block sent for a deal', async () => {
    answer(json(200, { ...dealAnswer(), lead: contactAnswer().lead }));
    const { waitFor, findByTestId, maybeFindByTestId } = renderCard({ objectTypeId: '0-3' });
    await waitFor(() => expect(findByTestId(Text, 'campaign-name')).toBeDefined());
    expect(maybeFindByTestId(StatisticsItem, 'lead-score')).toBeNull();
  });
});

describe('a campaign too new to judge', () => {
  it('says so instead of a close rate, with what has closed so far', async () => {
    answer(json(200, tooNewAnswer()));
    const { waitFor, findByTestId, maybeFindByTestId } = renderCard();
    await waitFor(() => expect(findByTestId(Alert, 'too-new')).toBeDefined());
    const alert = findByTestId(Alert, 'too-new');
    expect(alert.props.title).toBe('Too new to judge');
    expect(alert.text).toContain(nb('within 180 days'));
    expect(alert.text).toContain(nb('So far 3 % of them have closed.'));
    expect(maybeFindByTestId(StatisticsItem, 'close-rate')).toBeNull();
    expect(findByTestId(Text, 'maturity').text).toBe(
      nb("30 % of this campaign's leads have had time to close."),
    );
    expect(findByTestId(Text, 'alignment').text).toBe(
      'Alignment index —: No won revenue yet, so no alignment index.',
    );
    expect(findByTestId(StatisticsItem, 'lead-score').props.number).toBe('26');
  });
});

describe('a record closeloop has no figures for', () => {
  it('shows an empty state when closeloop answers 404', async () => {
    answer(new Response('{"error":"not found"}', { status: 404 }));
    const { waitFor, findByTestId } = renderCard();
    await waitFor(() => expect(findByTestId(EmptyState, 'no-figures')).toBeDefined());
    expect(findByTestId(Text, 'no-figures-text').text).toBe('closeloop has no figures for this contact yet.');
  });

  it('shows an empty state when a contact has neither lead nor campaign figures', async () => {
    answer(json(200, { record: { type: 'contacts', id: '4711' }, lead: null, campaign: null }));
    const { waitFor, findByTestId } = renderCard();
    await waitFor(() => expect(findByTestId(EmptyState, 'no-figures')).toBeDefined());
  });

  it('shows an empty state when a deal has no campaign figures', async () => {
    answer(json(200, { record: { type: 'deals', id: '99' }, lead: null, campaign: null }));
    const { waitFor, findByTestId } = renderCard({ objectTypeId: '0-3', objectId: 99 });
    await waitFor(() =>
      expect(findByTestId(Text, 'no-figures-text').text).toBe('closeloop has no figures for this deal yet.'),
    );
  });
});

describe('loading and errors', () => {
  it('shows a spinner until closeloop answers', async () => {
    let resolve: (response: Response) => void = () => {};
    answer(new Promise<Response>((r) => (resolve = r)));
    const { waitFor, findByTestId, maybeFindByTestId } = renderCard();
    expect(findByTestId(LoadingSpinner, 'loading')).toBeDefined();
    resolve(json(200, contactAnswer()));
    await waitFor(() => expect(maybeFindByTestId(LoadingSpinner, 'loading')).toBeNull());
    expect(findByTestId(Text, 'campaign-name').text).toBe('Spring webinar');
  });

  it('says closeloop cannot be reached when the fetch fails', async () => {
    fetchSpy.mockImplementation((() => Promise.reject(new Error('connect ECONNREFUSED'))) as Fetch);
    const { waitFor, findByTestId } = renderCard();
    await waitFor(() =>
      expect(findByTestId(ErrorState, 'error').props.title).toBe("closeloop can't be reached"),
    );
  });

  it('reports a server error with its status and recovers on retry', async () => {
    fetchSpy
      .mockImplementationOnce((() => Promise.resolve(json(500, { error: 'boom' }))) as Fetch)
      .mockImplementationOnce((() => Promise.resolve(json(200, contactAnswer()))) as Fetch);
    const { waitFor, findByTestId } = renderCard();
    await waitFor(() => expect(findByTestId(Text, 'error-detail').text).toContain('HTTP 500'));
    expect(findByTestId(ErrorState, 'error').props.title).toBe('closeloop answered with an error');

    findByTestId(Button, 'retry').trigger('onClick');
    await waitFor(() => expect(findByTestId(Text, 'campaign-name').text).toBe('Spring webinar'));
    expect(fetchSpy).toHaveBeenCalledTimes(2);
  });

  it('points at the client secret when closeloop refuses the signature', async () => {
    answer(json(401, { error: 'bad signature' }));
    const { waitFor, findByTestId } = renderCard();
    await waitFor(() => expect(findByTestId(Text, 'error-detail').text).toContain('client secret'));
  });

  it('says the answer cannot be read when it is not JSON', async () => {
    answer(new Response('<html>proxy error</html>', { status: 200 }));
    const { waitFor, findByTestId } = renderCard();
    await waitFor(() =>
      expect(findByTestId(ErrorState, 'error').props.title).toBe("closeloop's answer can't be read"),
    );
  });
});

describe('configuration', () => {
  it('asks for the base URL when the profile variable is missing, and fetches nothing', () => {
    const { findByTestId } = renderCard({ baseUrl: null });
    expect(findByTestId(ErrorState, 'not-configured')).toBeDefined();
    expect(findByTestId(Text, 'not-configured-problem').text).toBe(
      'The profile variable CLOSELOOP_BASE_URL is not set.',
    );
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('refuses a base URL that is not https', () => {
    const { findByTestId } = renderCard({ baseUrl: 'http://closeloop.acme.test' });
    expect(findByTestId(Text, 'not-configured-problem').text).toContain('must start with https://');
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('shows nothing to fetch on an object other than contacts and deals', () => {
    const { findByTestId } = renderCard({ objectTypeId: '0-2' });
    expect(findByTestId(Text, 'unsupported-object')).toBeDefined();
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

import nock from 'nock';
import { afterEach, beforeEach, expect } from 'vitest';
import { type CallObserver, createHubSpotHttp, type HubSpotHttp } from '../../src/hubspot/http.ts';
import type { Priority, RateBudget } from '../../src/hubspot/rate-budget.ts';

export const HUBSPOT_URL = 'https://api.hubapi.com';
export const ACCESS_TOKEN = 'pat-na1-test-token';
/** What the fake `dailyResetAt` answers, so a DailyLimitError can be traced to it. */
export const DAILY_RESET_AT = Date.UTC(2026, 0, 2, 5, 0, 0);

/** A rate budget that never waits and records what it was asked, optionally into a shared log. */
export interface FakeBudget extends RateBudget {
  readonly acquired: Priority[];
  readonly pauses: number[];
  readonly resets: number[];
}

export function fakeBudget(name: string, log: string[] = []): FakeBudget {
  const acquired: Priority[] = [];
  const pauses: number[] = [];
  const resets: number[] = [];
  return {
    acquired,
    pauses,
    resets,
    async acquire(priority) {
      acquired.push(priority);
      log.push(`${name}.acquire(${priority})`);
    },
    async pause(ms) {
      pauses.push(ms);
      log.push(`${name}.pause(${ms})`);
    },
    async pauseUntilReset(untilMs) {
      resets.push(untilMs);
      log.push(`${name}.pauseUntilReset(${untilMs})`);
    },
  };
}

export interface FakeHubSpot {
  readonly http: HubSpotHttp;
  readonly budget: FakeBudget;
  readonly searchBudget: FakeBudget;
  readonly calls: Parameters<CallObserver>[0][];
  /** Budget calls and (when a test adds them) request marks, in the order they happened. */
  readonly log: string[];
}

/** The real adapter (SDK, fetch) against nock, with fake budgets and a recording observer. */
export function fakeHubSpot(): FakeHubSpot {
  const log: string[] = [];
  const budget = fakeBudget('budget', log);
  const searchBudget = fakeBudget('searchBudget', log);
  const calls: Parameters<CallObserver>[0][] = [];
  const http = createHubSpotHttp({
    accessToken: ACCESS_TOKEN,
    baseUrl: HUBSPOT_URL,
    budget,
    searchBudget,
    dailyResetAt: () => DAILY_RESET_AT,
    observe: (call) => calls.push(call),
  });
  return { http, budget, searchBudget, calls, log };
}

/**
 * Registers hooks that keep nock strict: no real network, and every test must consume exactly the
 * replies it set up. An unmatched request would otherwise surface as nock's 501 reply, which the
 * adapter maps to a TransientError — easy to mistake for the behaviour under test.
 */
export function strictNock(): void {
  const unmatched: string[] = [];
  const onNoMatch = (request: Request) => unmatched.push(`${request.method} ${request.url}`);
  beforeEach(() => {
    nock.disableNetConnect();
    nock.emitter.on('no match', onNoMatch);
  });
  afterEach(() => {
    nock.emitter.removeListener('no match', onNoMatch);
    const pending = nock.pendingMocks();
    nock.cleanAll();
    nock.enableNetConnect();
    expect(unmatched.splice(0), 'requests nock had no reply for').toEqual([]);
    expect(pending, 'replies set up but never requested').toEqual([]);
  });
}

/** A nock scope for HubSpot that only matches requests carrying the app's bearer token. */
export function hubspot(): nock.Scope {
  return nock(HUBSPOT_URL, { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}` } });
}

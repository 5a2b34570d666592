import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { nextMidnight } from '../core/time-zone.ts';
import { createDailyBudget } from './daily-budget.ts';
import { type CallObserver, createHubSpotHttp, type HubSpotHttp } from './http.ts';
import { createRateBudget } from './rate-budget.ts';

/** closeloop keeps this share of the app's 10-second limit for itself; the rest is headroom for other tools. */
export const BUDGET_SHARE = 0.8;
/** Share of the window background work leaves for live work. */
export const LIVE_RESERVE = 0.25;
const SEARCH_PER_SECOND = 4;

/**
 * The one HubSpot connection of a process: every call shares the portal's rate budget with every
 * other closeloop process through Redis.
 */
export function connectHubSpot(
  config: Config,
  redis: Redis,
  timeZone: () => string,
  observe?: CallObserver,
): HubSpotHttp {
  if (!config.hubspot.accessToken) throw new Error('HUBSPOT_ACCESS_TOKEN is required to call HubSpot');
  const prefix = config.redis.prefix;
  return createHubSpotHttp({
    accessToken: config.hubspot.accessToken,
    baseUrl: config.hubspot.baseUrl,
    budget: createRateBudget({
      redis,
      prefix,
      limit: Math.floor(config.hubspot.requestsPer10s * BUDGET_SHARE),
      windowMs: 10_000,
      liveReserve: LIVE_RESERVE,
    }),
    searchBudget: createRateBudget({
      redis,
      prefix: `${prefix}:search`,
      limit: SEARCH_PER_SECOND,
      windowMs: 1000,
      liveReserve: 0,
      // Searches count against the account's day like every other call.
      dailyPrefix: prefix,
    }),
    dailyResetAt: () => nextMidnight(Date.now(), timeZone()),
    daily: createDailyBudget({ redis, prefix, reservePercent: config.hubspot.dailyReservePercent }),
    observe,
  });
}

import type { RateLimitPolicy } from './hubspot-errors.ts';
import type { SandboxClock } from './sandbox-clock.ts';

export type RateLimitConfig = {
  requestsPer10s: number;
  windowMs: number;
  dailyLimit: number;
  searchPerSecond: number;
  timeZone: string;
};

export type RateDecision = { headers: Record<string, string>; rejected: RateLimitPolicy | undefined };

/** Timestamps within a rolling window, oldest first. */
class RollingWindow {
  #times: number[] = [];
  count(now: number, windowMs: number): number {
    let drop = 0;
    while (drop < this.#times.length && (this.#times[drop] as number) <= now - windowMs) drop++;
    if (drop > 0) this.#times = this.#times.slice(drop);
    return this.#times.length;
  }
  add(now: number): void {
    this.#times.push(now);
  }
}

/**
 * HubSpot's per-app budgets: a rolling ten-second window, a daily count that resets at midnight in
 * the account's time zone, and search's own per-second limit (search is exempt from the
 * ten-secondly budget and its responses carry no rate-limit headers).
 */
export class RateLimiter {
  readonly config: RateLimitConfig;
  readonly #clock: SandboxClock;
  #window = new RollingWindow();
  #search = new RollingWindow();
  #day = '';
  #dailyCount = 0;

  constructor(config: RateLimitConfig, clock: SandboxClock) {
    this.config = config;
    this.#clock = clock;
  }

  #dayKey(now: number): string {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone: this.config.timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
  }

  check(kind: 'api' | 'search'): RateDecision {
    const { requestsPer10s, windowMs, dailyLimit, searchPerSecond } = this.config;
    const now = this.#clock.now();
    const day = this.#dayKey(now);
    if (day !== this.#day) {
      this.#day = day;
      this.#dailyCount = 0;
    }
    const inWindow = this.#window.count(now, windowMs);
    let rejected: RateLimitPolicy | undefined;
    if (dailyLimit > 0 && this.#dailyCount >= dailyLimit) rejected = 'DAILY';
    else if (kind === 'api' && requestsPer10s > 0 && inWindow >= requestsPer10s)
      rejected = 'TEN_SECONDLY_ROLLING';
    else if (kind === 'search' && searchPerSecond > 0 && this.#search.count(now, 1_000) >= searchPerSecond)
      rejected = 'SECONDLY';
    if (!rejected) {
      this.#dailyCount++;
      if (kind === 'api') this.#window.add(now);
      else this.#search.add(now);
    }
    return { rejected, headers: kind === 'api' ? this.#headers(inWindow + (rejected ? 0 : 1)) : {} };
  }

  #headers(used: number): Record<string, string> {
    const { requestsPer10s, windowMs, dailyLimit } = this.config;
    const headers: Record<string, string> = {};
    if (requestsPer10s > 0) {
      headers['X-HubSpot-RateLimit-Max'] = String(requestsPer10s);
      headers['X-HubSpot-RateLimit-Remaining'] = String(Math.max(0, requestsPer10s - used));
      headers['X-HubSpot-RateLimit-Interval-Milliseconds'] = String(windowMs);
    }
    if (dailyLimit > 0) {
      headers['X-HubSpot-RateLimit-Daily'] = String(dailyLimit);
      headers['X-HubSpot-RateLimit-Daily-Remaining'] = String(Math.max(0, dailyLimit - this.#dailyCount));
    }
    return headers;
  }

  /** Forgets the calls in the rolling windows (the day's count stays), as if none came for a while. */
  clearWindows(): void {
    this.#window = new RollingWindow();
    this.#search = new RollingWindow();
  }

  reset(): void {
    this.#window = new RollingWindow();
    this.#search = new RollingWindow();
    this.#day = '';
    this.#dailyCount = 0;
  }
}

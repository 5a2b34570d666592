import { Client } from '@hubspot/api-client';
import { Agent, setGlobalDispatcher } from 'undici';
import { z } from 'zod';
import { DailyLimitError, HubSpotRequestError, RateLimitedError, TransientError } from '../errors.ts';
import type { DailyBudget } from './daily-budget.ts';
import type { Priority, RateBudget } from './rate-budget.ts';

export interface HubSpotRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly qs?: Readonly<Record<string, string>>;
  readonly priority: Priority;
  /** Search has its own, tighter limit (5/s) and no rate-limit headers. */
  readonly search?: boolean;
}

export interface HubSpotResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

export type CallObserver = (call: {
  method: string;
  path: string;
  status: number | 'error';
  seconds: number;
  headers?: Headers;
}) => void;

export interface HubSpotHttpOptions {
  readonly accessToken: string;
  readonly baseUrl: string;
  readonly budget: RateBudget;
  readonly searchBudget: RateBudget;
  /** Epoch ms of the account's next midnight, when the daily budget resets. */
  readonly dailyResetAt: () => number;
  /** Learns the account's daily budget from every response's headers. */
  readonly daily?: DailyBudget;
  readonly observe?: CallObserver;
  readonly timeoutMs?: number;
}

export type HubSpotHttp = (request: HubSpotRequest) => Promise<HubSpotResponse>;

const errorBodySchema = z.looseObject({
  message: z.string().optional(),
  category: z.string().optional(),
  errorType: z.string().optional(),
  policyName: z.string().optional(),
});

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function retryAfterMs(headers: Headers, fallbackMs: number): number {
  const seconds = Number(headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : fallbackMs;
}

/** Maps a refusal to the error that steers what happens next. */
function refusal(response: HubSpotResponse, dailyResetAt: () => number): Error {
  const parsed = errorBodySchema.safeParse(response.body);
  const body = parsed.success ? parsed.data : {};
  const message = `HubSpot ${response.status}: ${body.message ?? 'no message'}`;
  if (response.status === 429) {
    if (body.policyName === 'DAILY') return new DailyLimitError(dailyResetAt());
    const interval = Number(response.headers.get('x-hubspot-ratelimit-interval-milliseconds')) || 1000;
    return new RateLimitedError(
      body.policyName ?? 'UNKNOWN',
      retryAfterMs(response.headers, Math.min(interval, 10_000)),
    );
  }
  // 423: a record is locked for ~2 s; 477: data-centre migration, honour Retry-After.
  if (response.status === 423) return new TransientError(message, { minDelayMs: 2000 });
  if (response.status === 477)
    return new TransientError(message, { minDelayMs: retryAfterMs(response.headers, 30_000) });
  if (response.status >= 500) return new TransientError(message, { minDelayMs: 1000 });
  return new HubSpotRequestError(response.status, message, body.category);
}

/**
 * Every HubSpot call goes through here: one shared rate budget, no SDK retries (the SDK's are
 * process-global, ignore Retry-After and only cover some 429s), parsed bodies, and errors that
 * say whether to wait, retry or give up. 207 is a success with `errors[]` for the caller.
 */
export function createHubSpotHttp(options: HubSpotHttpOptions): HubSpotHttp {
  const timeoutMs = options.timeoutMs ?? 30_000;
  // The SDK calls the global fetch, which has no per-request timeout hook.
  setGlobalDispatcher(
    new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connect: { timeout: 10_000 } }),
  );
  const client = new Client({
    accessToken: options.accessToken,
    basePath: options.baseUrl,
    numberOfApiCallRetries: 0,
  });

  return async (request) => {
    await (request.search ? options.searchBudget : options.budget).acquire(request.priority);
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    let raw: Response;
    let body: unknown;
    try {
      raw = await client.apiRequest({
        method: request.method,
        path: request.path,
        body: request.body,
        qs: request.qs,
      });
      // The body can fail after the headers (connection reset, body timeout): still unreachable.
      body = await readBody(raw);
    } catch (error) {
      options.observe?.({ method: request.method, path: request.path, status: 'error', seconds: seconds() });
      throw new TransientError(`HubSpot unreachable: ${(error as Error).message}`, { cause: error });
    }
    const response = { status: raw.status, body, headers: raw.headers };
    // A lost observation only delays the reserve's pause; it must not fail a call that succeeded.
    await options.daily?.observe(raw.headers, options.dailyResetAt()).catch(() => undefined);
    options.observe?.({
      method: request.method,
      path: request.path,
      status: raw.status,
      seconds: seconds(),
      headers: raw.headers,
    });
    if (raw.ok) return response;
    const error = refusal(response, options.dailyResetAt);
    const budget = request.search ? options.searchBudget : options.budget;
    if (error instanceof RateLimitedError) await budget.pause(error.waitMs);
    if (error instanceof DailyLimitError) await options.budget.pauseUntilReset(error.untilMs);
    throw error;
  };
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';

export interface JsonRequest {
  readonly method?: 'GET' | 'POST' | 'PATCH';
  readonly url: string;
  readonly token?: string | undefined;
  readonly body?: unknown;
  /** Statuses that are an answer, not a failure (e.g. 403 where an API is optional). */
  readonly accept?: readonly number[];
}

export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly date: string | null;
}

// Chaos scenarios may leave faults switched on: 429, 423 and 5xx are HubSpot's "try again".
const RETRYABLE = new Set([423, 429, 500, 502, 503, 504]);
const ATTEMPTS = 10;
// The sandbox can hold a "timeout" fault for a long time before it answers.
const REQUEST_TIMEOUT_MS = 60_000;

function delayFor(status: number | undefined, attempt: number, retryAfter: string | null): number {
  if (status === 423) return 2_000;
  const told = retryAfter === null ? Number.NaN : Number(retryAfter) * 1000;
  if (status === 429 && Number.isFinite(told)) return Math.max(told, 250);
  return Math.min(4_000, 100 * 2 ** attempt);
}

async function attempt(request: JsonRequest): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(request.url, {
    method: request.method ?? 'GET',
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

/** One JSON call, retried through transient failures; other non-2xx answers throw with the body. */
export async function requestJson(request: JsonRequest): Promise<JsonAnswer> {
  let last = '';
  for (let tries = 0; tries < ATTEMPTS; tries++) {
    let response: Response;
    try {
      response = await attempt(request);
    } catch (error) {
      last = String(error);
      await sleep(delayFor(undefined, tries, null));
      continue;
    }
    const text = await response.text();
    const accepted = response.ok || (request.accept ?? []).includes(response.status);
    if (accepted) {
      const body = text ? (JSON.parse(text) as unknown) : null;
      return { status: response.status, body, date: response.headers.get('date') };
    }
    last = `${response.status} ${text.slice(0, 300)}`;
    if (!RETRYABLE.has(response.status)) break;
    await sleep(delayFor(response.status, tries, response.headers.get('retry-after')));
  }
  throw new Error(`${request.method ?? 'GET'} ${request.url} failed: ${last}`);
}

/** A JSON call whose answer must have the given shape. */
export async function getParsed<T extends z.ZodType>(schema: T, request: JsonRequest): Promise<z.output<T>> {
  const answer = await requestJson(request);
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) throw new Error(`${request.url}: unexpected answer: ${parsed.error.message}`);
  return parsed.data;
}

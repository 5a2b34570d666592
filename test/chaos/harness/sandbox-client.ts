import { z } from 'zod';

/** Statuses HubSpot asks a client to retry; the sandbox applies nothing of a call it answers so. */
const RETRIED = new Set([429, 423, 500, 502, 503, 504]);
const MAX_ATTEMPTS = 40;

export type Json = Record<string, unknown>;

/**
 * The portal's users and HubSpot's own tracking, acting on the sandbox: calls its API like any
 * app (so injected faults hit them too, and they retry as HubSpot advises) and its admin routes.
 * Counts its own API calls, so that what closeloop spent can be told apart.
 */
export interface SandboxClient {
  api(method: string, path: string, body?: unknown): Promise<Json>;
  admin(path: string, body?: unknown): Promise<Json>;
  /** This client's API calls so far, and how many of them failed and were retried. */
  readonly calls: { total: number; failed: number };
}

async function attempt(url: string, init: RequestInit): Promise<{ status: number; text: string }> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
    return { status: response.status, text: await response.text() };
  } catch {
    // The sandbox's `timeout` fault holds the socket and drops it, applying nothing.
    return { status: 0, text: '' };
  }
}

const jsonObject = z.record(z.string(), z.unknown());

function parse(text: string): Json {
  return text === '' ? {} : jsonObject.parse(JSON.parse(text));
}

export function sandboxClient(baseUrl: string, accessToken: string): SandboxClient {
  const calls = { total: 0, failed: 0 };
  const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
  return {
    calls,
    async api(method, path, body) {
      const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
      for (let tries = 1; ; tries++) {
        calls.total++;
        const { status, text } = await attempt(`${baseUrl}${path}`, init);
        if (status >= 200 && status < 300) return parse(text);
        calls.failed++;
        if ((status !== 0 && !RETRIED.has(status)) || tries >= MAX_ATTEMPTS)
          throw new Error(`${method} ${path} → ${status} ${text}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(50 * tries, 1000)));
      }
    },
    async admin(path, body) {
      const { status, text } = await attempt(`${baseUrl}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (status !== 200) throw new Error(`${path} → ${status} ${text}`);
      return parse(text);
    },
  };
}

import { resolve } from 'node:path';
import type { SandboxOptions } from '../../src/sandbox/sandbox-options.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/start-sandbox.ts';

export const SUBSCRIPTIONS_PATH = resolve(
  import.meta.dirname,
  '../../infra/hubspot/src/app/webhooks/webhooks-hsmeta.json',
);

/** A sandbox on a random port with the budgets off unless a test turns them on. */
export function startTestSandbox(overrides: Partial<SandboxOptions> = {}): Promise<RunningSandbox> {
  return startSandbox({
    port: 0,
    requestsPer10s: 0,
    dailyLimit: 0,
    searchPerSecond: 0,
    subscriptionsPath: SUBSCRIPTIONS_PATH,
    webhookBatchMs: 5,
    webhookBackoffScale: 0.00005,
    ...overrides,
  });
}

// biome-ignore lint/suspicious/noExplicitAny: tests walk arbitrary HubSpot JSON; the schema tests check its shape.
export type CallResult = { status: number; headers: Headers; body: any };

export function client(sandbox: RunningSandbox, defaults: Record<string, string> = {}) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<CallResult> => {
    const response = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...defaults, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? undefined : JSON.parse(text),
    };
  };
}

export async function seed(
  sandbox: RunningSandbox,
  body: unknown,
): Promise<{ contacts: string[]; deals: string[] }> {
  const result = await client(sandbox)('POST', '/__sandbox/seed', body);
  if (result.status !== 200) throw new Error(`seed failed: ${JSON.stringify(result.body)}`);
  return result.body;
}

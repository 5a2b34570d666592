import type { CallStats } from './call-stats.ts';
import type { CrmState } from './crm-state.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { SandboxClock } from './sandbox-clock.ts';
import type { SandboxOptions } from './sandbox-options.ts';
import type { ScopeRule } from './scopes.ts';
import type { Random } from './seeded-random.ts';
import type { WebhookDispatcher } from './webhooks/webhook-dispatcher.ts';

export type ApiRequest = {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** Set when the fault injector chose a 207 for this batch call: fail some inputs, apply none of them. */
  fault207: boolean;
};

export type ApiResponse = { status: number; body?: unknown };

export type SandboxContext = {
  options: SandboxOptions;
  crm: CrmState;
  clock: SandboxClock;
  random: Random;
  dispatcher: WebhookDispatcher;
  limiter: RateLimiter;
  stats: CallStats;
  /** Back to the initial state: data, counters, queues. */
  reset(): void;
};

export type Handler = (ctx: SandboxContext, req: ApiRequest) => ApiResponse | Promise<ApiResponse>;

/** `api` calls count against the ten-secondly budget; `search` has its own; `admin` is free. */
export type RouteKind = 'api' | 'search' | 'admin';

type RouteBase = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** Batch endpoints that may answer 207 with some inputs failed. */
  partial?: boolean;
  bodyLimitBytes?: number;
  handler: Handler;
};

/** Every API route declares the scopes its token needs (checked after auth, before the body). */
export type Route =
  | (RouteBase & { kind: 'admin' })
  | (RouteBase & { kind: 'api' | 'search'; scopes: ScopeRule });

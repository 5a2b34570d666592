import { errorBody, rateLimitBody } from './hubspot-errors.ts';
import type { Route, SandboxContext } from './sandbox-context.ts';
import type { FaultKind } from './sandbox-options.ts';

/** Picks (seeded) whether this call fails and how; a 207 only where the route can answer one. */
export function pickFault(ctx: SandboxContext, route: Route): FaultKind | undefined {
  const { failRate, faults } = ctx.options;
  if (faults.length === 0 || !ctx.random.chance(failRate)) return undefined;
  const kind = ctx.random.pick(faults);
  return kind === '207' && !route.partial ? undefined : kind;
}

const SERVER_ERRORS: Record<string, [category: string, message: string]> = {
  '500': ['INTERNAL_ERROR', 'internal error'],
  '502': ['BAD_GATEWAY', 'Bad Gateway: the upstream service did not answer in time.'],
  '503': ['SERVICE_UNAVAILABLE', 'Service temporarily unavailable, please retry.'],
  '504': ['GATEWAY_TIMEOUT', 'Gateway Timeout: the request took too long to process.'],
};

/** The body of a fault that answers at once (nothing of the request is applied). */
export function faultResponse(kind: FaultKind, appId: number): { status: number; body: unknown } | undefined {
  if (kind === '429') return { status: 429, body: rateLimitBody('TEN_SECONDLY_ROLLING', appId) };
  if (kind === '423') {
    // HubSpot locks a record for about 2 s when it is written too quickly; wait at least that long.
    return {
      status: 423,
      body: errorBody(
        'LOCKED',
        'The resource is locked by a concurrent write. Wait at least 2 seconds before retrying.',
      ),
    };
  }
  const server = SERVER_ERRORS[kind];
  return server ? { status: Number(kind), body: errorBody(server[0], server[1]) } : undefined;
}

import { call, type HttpAnswer } from './http-client.ts';
import type { Door } from './routes.ts';

/** Doors open without the dashboard token, each for a reason; every other door must refuse. */
export const OPEN_DOORS: Readonly<Record<string, string>> = {
  'GET /healthz': 'liveness probe, says nothing',
  'GET /readyz': 'readiness probe, says nothing',
  'GET /login': 'the login form',
  'GET /login.js': "the login form's script",
  'GET /login.css': "the login form's styles",
  'POST /login': 'takes the token itself',
  'POST /logout': 'only clears cookies',
};

/** Doors HubSpot calls, guarded by its signature instead: the dashboard token opens nothing there. */
export const SIGNED_DOORS: ReadonlySet<string> = new Set([
  'POST /webhooks/hubspot',
  'GET /api/card/:type/:id',
]);

/** Doors only machines call (HubSpot, probes): no browser renders them, so no browser headers are owed. */
export const MACHINE_DOORS: ReadonlySet<string> = new Set([...SIGNED_DOORS, 'GET /healthz', 'GET /readyz']);

export const doorKey = (door: Door) => `${door.method} ${door.pattern}`;

/** Refused: 401, or for a page a browser opens, a redirect to the login form. */
export function refused(door: Door, answer: HttpAnswer): boolean {
  if (answer.status === 401) return true;
  const toLogin = String(answer.headers.location ?? '').startsWith('/login?next=');
  return door.method === 'GET' && answer.status === 303 && toLogin;
}

/**
 * One request through a door: a JSON body for writes (the body does not matter, only who may
 * send it), and the event stream read for a moment only, since it never ends.
 */
export function knock(
  baseUrl: string,
  door: Door,
  headers: Record<string, string>,
  target = door.path,
): Promise<HttpAnswer> {
  return call(baseUrl, {
    method: door.method,
    path: target,
    headers: { ...headers, 'content-type': 'application/json' },
    body: door.method === 'GET' ? undefined : '{}',
    readMs: door.pattern === '/api/events' ? 300 : undefined,
  });
}

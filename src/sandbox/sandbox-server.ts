import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { faultResponse, pickFault } from './fault-injector.ts';
import {
  errorBody,
  HubSpotError,
  missingScopes,
  rateLimitBody,
  unauthorized,
  validationError,
} from './hubspot-errors.ts';
import type { MatchedRoute } from './route-table.ts';
import type { ApiResponse, Route, SandboxContext } from './sandbox-context.ts';
import { grantedScopes, unmetScopes } from './scopes.ts';

const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;

type Reply = ApiResponse & { headers?: Record<string, string> };

export type ServerDeps = {
  ctx: SandboxContext;
  match: (method: string, path: string) => MatchedRoute | undefined;
  /** Sockets held open by `timeout` faults; destroyed on close. */
  held: Set<Socket>;
  log: (line: string) => void;
};

/** `Date` comes from the sandbox clock, so a client can measure its skew against "HubSpot". */
function send(res: ServerResponse, reply: Reply, now: number): void {
  const headers: Record<string, string> = { ...reply.headers, Date: new Date(now).toUTCString() };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers['Content-Type'] = 'application/json;charset=utf-8';
  headers['Content-Length'] = String(Buffer.byteLength(text));
  res.writeHead(reply.status, headers).end(text);
}

async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit)
      throw new HubSpotError(413, errorBody('VALIDATION_ERROR', `Request body larger than ${limit} bytes.`));
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw validationError(`Invalid input JSON on line 1, column 1: ${(error as Error).message}`);
  }
}

function authorized(ctx: SandboxContext, req: IncomingMessage): boolean {
  const token = ctx.options.accessToken;
  return token === undefined || req.headers.authorization === `Bearer ${token}`;
}

/** HubSpot's 403 when the token lacks every scope of one of the call's requirements. */
function scopeReply(ctx: SandboxContext, route: Route, params: Record<string, string>): Reply | undefined {
  if (route.kind === 'admin') return undefined;
  const granted = grantedScopes(ctx.options.scopes, ctx.options.campaignsApi);
  const unmet = unmetScopes(route.scopes(params), granted);
  return unmet ? { status: 403, body: missingScopes(unmet).body } : undefined;
}

/** Auth, budgets, scopes and faults in HubSpot's order; returns a reply when the call stops there. */
async function gate(deps: ServerDeps, matched: MatchedRoute, req: IncomingMessage, res: ServerResponse) {
  const { ctx } = deps;
  if (!authorized(ctx, req))
    return { reply: { status: 401, body: unauthorized().body } as Reply, headers: {} };
  const kind = matched.route.kind === 'search' ? 'search' : 'api';
  const decision = ctx.limiter.check(kind);
  if (decision.rejected) {
    return {
      reply: { status: 429, body: rateLimitBody(decision.rejected, ctx.options.appId) },
      headers: decision.headers,
    };
  }
  // Checked before the body is read, so an empty write still tells whether the scope is granted.
  const forbidden = scopeReply(ctx, matched.route, matched.params);
  if (forbidden) return { reply: forbidden, headers: decision.headers };
  const fault = pickFault(ctx, matched.route);
  if (fault === 'timeout') {
    deps.held.add(req.socket);
    setTimeout(() => req.socket.destroy(), ctx.options.timeoutHoldMs).unref();
    res.on('close', () => deps.held.delete(req.socket));
    return { reply: 'held' as const, headers: decision.headers };
  }
  if (fault === 'slow') await sleep(ctx.options.slowMs);
  const immediate = fault ? faultResponse(fault, ctx.options.appId) : undefined;
  return { reply: immediate, headers: decision.headers, fault207: fault === '207' };
}

async function run(
  deps: ServerDeps,
  matched: MatchedRoute,
  req: IncomingMessage,
  url: URL,
  fault207: boolean,
): Promise<Reply> {
  const body = await readBody(req, matched.route.bodyLimitBytes ?? DEFAULT_BODY_LIMIT);
  return matched.route.handler(deps.ctx, { params: matched.params, query: url.searchParams, body, fault207 });
}

function toReply(error: unknown, log: (line: string) => void): Reply {
  if (error instanceof HubSpotError) return { status: error.status, body: error.body };
  log(`sandbox: unexpected error: ${(error as Error).stack ?? String(error)}`);
  return { status: 500, body: errorBody('INTERNAL_ERROR', 'internal error') };
}

export async function handleRequest(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const arrivedAt = deps.ctx.clock.now();
  const url = new URL(req.url ?? '/', 'http://sandbox.local');
  const method = req.method ?? 'GET';
  const matched = deps.match(method, url.pathname);
  if (!matched) {
    deps.ctx.stats.record(`${method} (unmatched)`, 404, arrivedAt);
    req.resume();
    return send(
      res,
      { status: 404, body: errorBody('OBJECT_NOT_FOUND', `No route for ${method} ${url.pathname}`) },
      deps.ctx.clock.now(),
    );
  }
  const admin = matched.route.kind === 'admin';
  let reply: Reply;
  let headers: Record<string, string> = {};
  try {
    const gated = admin
      ? { reply: undefined, headers: {}, fault207: false }
      : await gate(deps, matched, req, res);
    headers = gated.headers;
    if (gated.reply === 'held') return;
    reply = gated.reply ?? (await run(deps, matched, req, url, gated.fault207 ?? false));
  } catch (error) {
    reply = toReply(error, deps.log);
  }
  if (!admin) deps.ctx.stats.record(matched.template, reply.status, arrivedAt);
  req.resume();
  send(res, { ...reply, headers: { ...headers, ...reply.headers } }, deps.ctx.clock.now());
}

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { type Express, type Request, type RequestHandler, Router } from 'express';
import helmet from 'helmet';
import { HttpError } from '../errors.ts';
import { authenticate } from './session.ts';

export const ADMIN_QUEUES_PATH = '/admin/queues';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// The board's UI package, found the way @bull-board/api finds it (it is that package's peer).
const requireFromApi = createRequire(createRequire(import.meta.url).resolve('@bull-board/api'));
const UI_DIR = dirname(requireFromApi.resolve('@bull-board/ui/package.json'));

// The board's page links a font stylesheet on another host: closeloop serves nothing from third
// parties (no CDN, works offline), so the link is dropped and the board falls back to system fonts.
const THIRD_PARTY_STYLESHEET = /<link\b[^>]*\bhref="https?:\/\/[^"]*"[^>]*>\s*/g;

/**
 * The `<style>` elements the board's own scripts render (@bull-board/ui 9.10): the Redis logo's
 * colours and base-ui's scrollbar hiding (its selects). Allowed by hash like the page's; the
 * browser test renders both and fails on any CSP violation, so an upgrade that changes them shows.
 */
export const SCRIPTED_STYLES = [
  [
    '',
    '      .rds-b1 {fill: #ae7d83}',
    '      .rds-b2 {fill: #c29ea2}',
    '      .rds-b3 {fill: #e2d0d2}',
    '',
    '      .dark-mode .rds-b1 {fill: #a26169}',
    '      .dark-mode .rds-b2 {fill: #7b4a50}',
    '      .dark-mode .rds-b3 {fill: #514042}',
    '    ',
  ].join('\n'),
  '.base-ui-disable-scrollbar{scrollbar-width:none}.base-ui-disable-scrollbar::-webkit-scrollbar{display:none}',
];

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * The board's Content-Security-Policy: everything from this origin only (narrower than the app's
 * for styles, fonts and images). Its scripts are files; the page's one inline `<script>` is a JSON
 * data block, which CSP does not run. The one relaxation: the loading placeholder carries inline
 * `style` attributes and a `<style>` element, and the scripts render two `<style>` elements.
 * Rather than `'unsafe-inline'`, exactly those are allowed by hash, the placeholder's read from
 * the installed board's template. React's style props go through the CSSOM, which CSP allows.
 */
function boardPolicy(): Record<string, string[]> {
  const template = readFileSync(join(UI_DIR, 'dist', 'index.ejs'), 'utf8');
  const elements = [...template.matchAll(/<style>([\s\S]*?)<\/style>/g)]
    .map((match) => match[1] ?? '')
    .concat(SCRIPTED_STYLES)
    .map(sha256);
  const attributes = new Set(
    [...template.matchAll(/\sstyle="([^"]*)"/g)].map((match) => sha256(match[1] ?? '')),
  );
  return {
    'script-src': ["'self'"],
    'img-src': ["'self'"],
    'connect-src': ["'self'"],
    'font-src': ["'self'"],
    'style-src': ["'self'"],
    'style-src-elem': ["'self'", ...elements],
    // 'unsafe-hashes' lets the hashes match style attributes; it allows nothing without a hash.
    'style-src-attr': attributes.size > 0 ? ["'unsafe-hashes'", ...attributes] : ["'none'"],
  };
}

/** Whether a write was made by a page of this very origin, as the browser (not a script) tells it. */
function fromThisOrigin(req: Request, origin: string): boolean {
  return req.headers['sec-fetch-site'] === 'same-origin' || req.headers.origin === origin;
}

/**
 * The dashboard's access rule for the board. Its writes cannot carry the dashboard's CSRF header,
 * so a cookie-authenticated write must come from this origin instead (on top of the SameSite=Strict
 * cookie). A bearer token is never sent by a browser on its own: no check. Without a token the
 * board is open like the dashboard, but a write a browser marks as coming from another site is
 * still refused, so no other page can drive an operator's browser to retry or clean jobs.
 */
function boardAccess(token: string | undefined, origin: string): RequestHandler {
  return (req, res, next) => {
    const how = authenticate(req, token);
    if (!how) {
      const isApi = req.path === '/api' || req.path.startsWith('/api/');
      if (req.method === 'GET' && !isApi) {
        return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      }
      return next(new HttpError(401, 'unauthorized', 'A valid dashboard token is required'));
    }
    if (SAFE_METHODS.has(req.method) || how === 'bearer' || fromThisOrigin(req, origin)) return next();
    // Here a browser's Sec-Fetch-Site or Origin, when sent, named another origin.
    const fromOtherOrigin = req.headers['sec-fetch-site'] !== undefined || req.headers.origin !== undefined;
    if (how === 'open' && !fromOtherOrigin) return next();
    next(new HttpError(403, 'cross_origin', 'Changes to the queues must come from the board itself'));
  };
}

function decodes(value: unknown): boolean {
  try {
    decodeURIComponent(String(value));
    return true;
  } catch {
    return false;
  }
}

/**
 * Input the board would mishandle, refused here as a 400 by closeloop's own error answer.
 * @bull-board/api 9.10 decodes the `activeQueue` and `queueName` query values a second time
 * (Express already did) and answers one with a stray `%` with a 500; and the board's own error
 * answer to a path parameter it cannot decode repeats the raw parameter.
 */
const undecodableInput: RequestHandler = (req, _res, next) => {
  const values = [req.query.activeQueue, req.query.queueName].flat().filter((value) => value !== undefined);
  if (decodes(req.path) && values.every(decodes)) return next();
  next(
    new HttpError(400, 'bad_request', 'The path or a queue name in the query is not valid percent-encoding'),
  );
};

/** Renders the board's page without its third-party stylesheet link. */
const withoutThirdParties: RequestHandler = (_req, res, next) => {
  const render = res.render.bind(res);
  res.render = (view: string, options?: object) =>
    render(view, options ?? {}, (error: Error | null, html: string) =>
      error ? next(error) : res.send(html.replace(THIRD_PARTY_STYLESHEET, '')),
    );
  next();
};

export interface AdminQueuesOptions {
  /** Every closeloop queue, with the configured prefix. */
  readonly queues: readonly Queue[];
  readonly token: string | undefined;
  readonly publicBaseUrl: string;
}

/** BullMQ's board at `/admin/queues`, behind the dashboard token, with its own narrow CSP. */
export function adminQueuesRouter(options: AdminQueuesOptions): Router {
  const serverAdapter = new ExpressAdapter().setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({
    queues: options.queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiBasePath: UI_DIR, uiConfig: { boardTitle: 'closeloop queues' } },
  });
  // The board is an Express app of its own, which would announce itself again after helmet.
  const board: Express = serverAdapter.getRouter();
  board.disable('x-powered-by');
  const router = Router();
  router.use(
    ADMIN_QUEUES_PATH,
    helmet({ contentSecurityPolicy: { directives: boardPolicy() } }),
    boardAccess(options.token, new URL(options.publicBaseUrl).origin),
    undecodableInput,
    withoutThirdParties,
    board,
  );
  return router;
}

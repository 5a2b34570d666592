import { createHmac, randomBytes } from 'node:crypto';
import express, { type Request, type RequestHandler, Router } from 'express';
import { HttpError } from '../errors.ts';
import { tokenMatches } from './auth.ts';

export const SESSION_COOKIE = 'closeloop_session';
export const CSRF_COOKIE = 'closeloop_csrf';
export const CSRF_HEADER = 'x-closeloop-csrf';
const SESSION_DAYS = 30;

/** The session cookie's value: derived from the token, so the cookie never holds the token itself. */
function sessionValue(token: string): string {
  return createHmac('sha256', token).update('closeloop dashboard session v1').digest('base64url');
}

function cookies(req: Request): Record<string, string> {
  const pairs = (req.headers.cookie ?? '').split(';').map((part) => part.trim().split('='));
  return Object.fromEntries(
    pairs
      .filter((pair) => pair.length === 2)
      .map(([key, value]) => [key as string, decodeURIComponent(value as string)]),
  );
}

function bearer(req: Request): string {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
}

export type Authenticated = 'bearer' | 'cookie' | 'open' | false;

/** How a request proves it may see the dashboard: a bearer token, the session cookie, or no token configured. */
export function authenticate(req: Request, token: string | undefined): Authenticated {
  if (!token) return 'open';
  const presented = bearer(req);
  if (presented && tokenMatches(token, presented)) return 'bearer';
  const session = cookies(req)[SESSION_COOKIE];
  if (session && tokenMatches(sessionValue(token), session)) return 'cookie';
  return false;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Requires the dashboard token (bearer or session cookie) when one is configured. Writes made
 * with the cookie must also carry the CSRF cookie's value in a header (double submit) and come
 * from this site: a cross-site page can neither read the cookie nor set the header.
 */
export function requireSession(
  token: string | undefined,
  options: { loginRedirect: boolean },
): RequestHandler {
  return (req, res, next) => {
    const how = authenticate(req, token);
    if (!how) {
      // Pages send a browser to the login form; the API answers 401 to whoever called it.
      if (options.loginRedirect && req.method === 'GET') {
        return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      }
      return next(new HttpError(401, 'unauthorized', 'A valid dashboard token is required'));
    }
    if (how === 'cookie' && UNSAFE.has(req.method)) {
      const expected = cookies(req)[CSRF_COOKIE];
      const sent = req.headers[CSRF_HEADER];
      const crossSite =
        req.headers['sec-fetch-site'] !== undefined && req.headers['sec-fetch-site'] !== 'same-origin';
      if (crossSite || !expected || typeof sent !== 'string' || !tokenMatches(expected, sent)) {
        return next(new HttpError(403, 'csrf', 'This change must come from the dashboard itself'));
      }
    }
    next();
  };
}

function cookie(
  name: string,
  value: string,
  options: { httpOnly: boolean; secure: boolean; maxAgeSeconds: number },
): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    'SameSite=Strict',
    `Max-Age=${options.maxAgeSeconds}`,
  ];
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** Only same-site paths are followed after login, never another origin. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[\w\-./?=&%]*$/.test(value) ? value : '/';
}

/** `POST /login` with the token sets the session and CSRF cookies; `POST /logout` clears them. */
export function sessionRouter(token: string | undefined, secureCookies: boolean): Router {
  const router = Router();
  router.post('/login', express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
    const presented = typeof req.body?.token === 'string' ? req.body.token : '';
    const next = safeNext(req.body?.next);
    if (!token || !tokenMatches(token, presented)) {
      res.redirect(303, `/login?failed=1&next=${encodeURIComponent(next)}`);
      return;
    }
    const maxAgeSeconds = SESSION_DAYS * 86_400;
    res.setHeader('Set-Cookie', [
      cookie(SESSION_COOKIE, sessionValue(token), { httpOnly: true, secure: secureCookies, maxAgeSeconds }),
      cookie(CSRF_COOKIE, randomBytes(24).toString('base64url'), {
        httpOnly: false,
        secure: secureCookies,
        maxAgeSeconds,
      }),
    ]);
    res.redirect(303, next);
  });
  router.post('/logout', (_req, res) => {
    const expired = { httpOnly: true, secure: secureCookies, maxAgeSeconds: 0 };
    res.setHeader('Set-Cookie', [
      cookie(SESSION_COOKIE, '', expired),
      cookie(CSRF_COOKIE, '', { ...expired, httpOnly: false }),
    ]);
    res.redirect(303, '/login');
  });
  return router;
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from '../errors.ts';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Compares digests, so neither the content nor the length of the token leaks through timing. */
export function tokenMatches(expected: string, received: string): boolean {
  return timingSafeEqual(digest(expected), digest(received));
}

/** Requires `Authorization: Bearer <DASHBOARD_TOKEN>` when a token is configured. */
export function requireToken(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (!token) return next();
    const header = req.headers.authorization ?? '';
    const bearer = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    if (bearer && tokenMatches(token, bearer)) return next();
    next(new HttpError(401, 'unauthorized', 'A valid dashboard token is required'));
  };
}

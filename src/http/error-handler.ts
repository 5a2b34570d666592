import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError } from '../errors.ts';
import type { Logger } from '../logger.ts';

interface BodyParserError {
  status: number;
  type: string;
  expose: boolean;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' && error !== null && 'type' in error && 'status' in error && 'expose' in error
  );
}

export interface ErrorAnswer {
  readonly status: number;
  readonly body: { readonly error: string; readonly message: string };
}

/**
 * The one place HTTP errors become answers (the error middleware and the webhook receiver both
 * use it). Unknown errors are logged and answered 500, never echoed.
 */
export function answerError(error: unknown, log: Logger): ErrorAnswer {
  if (error instanceof HttpError) {
    if (error.status >= 500) log.warn({ err: error }, error.message);
    else log.info({ reason: error.message, status: error.status }, 'request rejected');
    return { status: error.status, body: { error: error.code, message: error.message } };
  }
  // Express's router marks a path parameter it cannot percent-decode (`/campaigns/%`) as a 400
  // URIError; without this it fell through to a 500. Its message holds the raw input: not echoed.
  if (error instanceof URIError && (error as { status?: unknown }).status === 400) {
    log.info({ reason: 'undecodable path parameter', status: 400 }, 'request rejected');
    return { status: 400, body: { error: 'bad_request', message: 'The path is not valid percent-encoding' } };
  }
  if (isBodyParserError(error) && error.expose) {
    const code = error.status === 413 ? 'payload_too_large' : 'bad_request';
    const message = error.status === 413 ? 'Body is too large' : 'Request body could not be read';
    return { status: error.status, body: { error: code, message } };
  }
  log.error({ err: error }, 'unhandled error');
  return { status: 500, body: { error: 'internal', message: 'Internal error' } };
}

export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const { status, body } = answerError(error, req.log);
  res.status(status).json(body);
};

/** The path is not repeated back: an error answer never echoes what the request sent. */
export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json({ error: 'not_found', message: 'No such route' });
};

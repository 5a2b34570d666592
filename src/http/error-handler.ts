import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError } from '../errors.ts';

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

/** The one place HTTP errors become responses. Unknown errors are logged and answered 500, never echoed. */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  if (error instanceof HttpError) {
    if (error.status >= 500) req.log.warn({ err: error }, error.message);
    else req.log.info({ reason: error.message, status: error.status }, 'request rejected');
    res.status(error.status).json({ error: error.code, message: error.message });
    return;
  }
  // Express's router marks a path parameter it cannot percent-decode (`/campaigns/%`) as a 400
  // URIError; without this it fell through to a 500. Its message holds the raw input: not echoed.
  if (error instanceof URIError && (error as { status?: unknown }).status === 400) {
    req.log.info({ reason: 'undecodable path parameter', status: 400 }, 'request rejected');
    res.status(400).json({ error: 'bad_request', message: 'The path is not valid percent-encoding' });
    return;
  }
  if (isBodyParserError(error) && error.expose) {
    const code = error.status === 413 ? 'payload_too_large' : 'bad_request';
    const message = error.status === 413 ? 'Body is too large' : 'Request body could not be read';
    res.status(error.status).json({ error: code, message });
    return;
  }
  req.log.error({ err: error }, 'unhandled error');
  res.status(500).json({ error: 'internal', message: 'Internal error' });
};

/** The path is not repeated back: an error answer never echoes what the request sent. */
export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json({ error: 'not_found', message: 'No such route' });
};

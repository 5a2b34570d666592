import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { type Level, stdSerializers } from 'pino';
import type { Logger } from '../logger.ts';

const REQUEST_ID = /^[\w.-]{1,128}$/;

export interface RequestLogOptions {
  readonly logger: Logger;
  /** Paths answered without a log line (probes and scrapes). */
  readonly quietPaths: ReadonlySet<string>;
  /** Paths whose successful answers log at debug: one line per webhook delivery would drown the rest. */
  readonly busyPaths: ReadonlySet<string>;
}

/** The caller's `x-request-id` when it is plain, else a new one. */
export function requestIdOf(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** The level of a request's line: failures always show; busy paths' successes only at debug. */
export function levelOf(status: number, busy: boolean): Level {
  if (status >= 500) return 'error';
  if (status >= 400) return 'warn';
  return busy ? 'debug' : 'info';
}

/**
 * A request id (the caller's `x-request-id` when it is plain, else a new one) echoed in the answer,
 * `req.log` bound to it, and one line when the answer is sent. Written instead of pino-http, whose
 * per-request child logger serializes the whole request up front — 8–13 % of the receiver's CPU
 * under webhook load, even when nothing is logged; here the request is serialized only for a line
 * that is written, and pino's `redact` paths (`req.headers.*`) still apply to it.
 */
export function requestLog(options: RequestLogOptions): RequestHandler {
  const { logger, quietPaths, busyPaths } = options;
  return (req, res, next) => {
    const id = requestIdOf(req.headers['x-request-id']);
    res.setHeader('x-request-id', id);
    req.id = id;
    // A child logger costs microseconds (bindings, redaction setup); most webhook deliveries
    // never log, so it is made on first use.
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', {
      configurable: true,
      get: () => {
        child ??= logger.child({ reqId: id });
        return child;
      },
      set: (value: Logger) => {
        child = value;
      },
    });
    if (quietPaths.has(req.path)) return next();
    const started = performance.now();
    const done = () => {
      res.off('close', done);
      res.off('finish', done);
      const level = res.writableFinished ? levelOf(res.statusCode, busyPaths.has(req.path)) : 'warn';
      if (!logger.isLevelEnabled(level)) return;
      const line = {
        req: stdSerializers.req(req),
        res: stdSerializers.res(res),
        responseTime: Math.round(performance.now() - started),
      };
      req.log[level](line, res.writableFinished ? 'request completed' : 'request aborted');
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}

/**
 * Errors that steer what happens next. HTTP errors carry the status the error middleware answers
 * with; job errors tell the worker wiring whether to retry, wait or give up. Messages never carry
 * secrets or request bodies.
 */

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
  }
}

export class SignatureError extends HttpError {
  constructor(message: string) {
    super(401, 'invalid_signature', message);
    this.name = 'SignatureError';
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string) {
    super(400, 'bad_request', message);
    this.name = 'BadRequestError';
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor(message: string) {
    super(415, 'unsupported_media_type', message);
    this.name = 'UnsupportedMediaTypeError';
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `Body exceeds ${limitBytes} bytes`);
    this.name = 'PayloadTooLargeError';
  }
}

export class UnavailableError extends HttpError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(503, 'unavailable', message);
    this.name = 'UnavailableError';
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, 'not_found', message);
    this.name = 'NotFoundError';
  }
}

/** HubSpot's ten-secondly (or search per-second) limit: wait, then retry without counting an attempt. */
export class RateLimitedError extends Error {
  readonly waitMs: number;
  readonly policy: string;
  constructor(policy: string, waitMs: number) {
    super(`HubSpot rate limit ${policy}: waiting ${waitMs} ms`);
    this.name = 'RateLimitedError';
    this.policy = policy;
    this.waitMs = waitMs;
  }
}

/**
 * The account's daily API budget is spent (`spent`), or down to the reserve kept for live work
 * (`reserve`, which only background work obeys): wait for the reset.
 */
export class DailyLimitError extends Error {
  /** Epoch ms of the account's next midnight, when the budget resets. */
  readonly untilMs: number;
  readonly reason: 'spent' | 'reserve';
  constructor(untilMs: number, reason: 'spent' | 'reserve' = 'spent') {
    const what = reason === 'spent' ? 'HubSpot daily API limit reached' : 'HubSpot daily API reserve reached';
    super(`${what}; paused until ${new Date(untilMs).toISOString()}`);
    this.name = 'DailyLimitError';
    this.untilMs = untilMs;
    this.reason = reason;
  }
}

/** Worth retrying with backoff: 5xx, timeouts, connection errors, 423 (locked, at least 2 s). */
export class TransientError extends Error {
  readonly minDelayMs: number;
  constructor(message: string, options: { minDelayMs?: number; cause?: unknown } = {}) {
    super(message);
    this.name = 'TransientError';
    this.minDelayMs = options.minDelayMs ?? 0;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/** A request HubSpot will refuse again if repeated (4xx other than 423/429): retrying cannot help. */
export class HubSpotRequestError extends Error {
  readonly status: number;
  readonly category: string | undefined;
  constructor(status: number, message: string, category?: string) {
    super(message);
    this.name = 'HubSpotRequestError';
    this.status = status;
    this.category = category;
  }
}

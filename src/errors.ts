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

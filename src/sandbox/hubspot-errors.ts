import { randomUUID } from 'node:crypto';

export type ErrorBody = Record<string, unknown> & { status: 'error'; message: string; correlationId: string };

/** Thrown by handlers; the dispatcher turns it into HubSpot's error response. */
export class HubSpotError extends Error {
  readonly status: number;
  readonly body: ErrorBody;
  constructor(status: number, body: ErrorBody) {
    super(body.message);
    this.status = status;
    this.body = body;
  }
}

export function errorBody(category: string, message: string, extra: Record<string, unknown> = {}): ErrorBody {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

export function validationError(message: string, extra: Record<string, unknown> = {}): HubSpotError {
  return new HubSpotError(400, errorBody('VALIDATION_ERROR', message, extra));
}

export function notFound(message = 'resource not found'): HubSpotError {
  return new HubSpotError(404, errorBody('OBJECT_NOT_FOUND', message));
}

export function conflict(message: string): HubSpotError {
  return new HubSpotError(409, errorBody('OBJECT_ALREADY_EXISTS', message));
}

/** HubSpot reports a body it cannot bind like Jackson does: "Invalid input JSON on line…". */
export function invalidInput(detail: string): HubSpotError {
  return validationError(`Invalid input JSON on line 1, column 1: ${detail}`);
}

export function unauthorized(): HubSpotError {
  return new HubSpotError(
    401,
    errorBody(
      'INVALID_AUTHENTICATION',
      'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
    ),
  );
}

export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY';

const POLICY_MESSAGES: Record<RateLimitPolicy, string> = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  DAILY: 'You have reached your daily limit.',
  SECONDLY: 'You have reached your secondly limit.',
};

/** HubSpot's 429 body has `errorType`, not `category` (unlike every other error body). */
export function rateLimitBody(policy: RateLimitPolicy, appId: number): Record<string, unknown> {
  return {
    status: 'error',
    message: POLICY_MESSAGES[policy],
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName: policy,
    groupName: `privateapp-api-limits:${appId}`,
  };
}

/** One line of HubSpot's "Property values were not valid" list. */
export type PropertyProblem = { name: string; error: string; message: string };

export function propertyValuesInvalid(problems: PropertyProblem[], portalId: number): HubSpotError {
  const listed = problems.map((p) => ({
    isValid: false,
    message: p.message,
    error: p.error,
    name: p.name,
    localizedErrorMessage: p.message,
    portalId,
  }));
  return validationError(`Property values were not valid: ${JSON.stringify(listed)}`);
}

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

/**
 * HubSpot's 403 for a call the app's token has no scope for. A portal below the API's tier cannot
 * grant the scope at all, so this is also what a Marketing Hub Starter portal answers on the
 * Campaigns API. Shape as HubSpot returns it (hubspot-api-nodejs issue #268; `requiredGranularScopes`
 * is what current portals list).
 */
export function missingScopes(scopes: readonly string[]): HubSpotError {
  return new HubSpotError(
    403,
    errorBody(
      'MISSING_SCOPES',
      "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
      {
        errors: [
          {
            message: 'One or more of the following scopes are required.',
            context: { requiredGranularScopes: [...scopes] },
          },
        ],
        links: { scopes: 'https://developers.hubspot.com/scopes' },
      },
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

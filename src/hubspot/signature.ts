import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureError } from '../errors.ts';

/**
 * HubSpot request signatures (v3, and the legacy v1/v2), checked the way HubSpot documents them.
 * The SDK's helper is not used: it throws on stale timestamps, does not decode the URI and does
 * not compare in constant time.
 */

export const SIGNATURE_V3_HEADER = 'x-hubspot-signature-v3';
export const TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';
export const SIGNATURE_HEADER = 'x-hubspot-signature';
export const SIGNATURE_VERSION_HEADER = 'x-hubspot-signature-version';

/** HubSpot rejects nothing older; neither do we accept anything older or newer. */
export const MAX_CLOCK_DIFFERENCE_MS = 5 * 60 * 1000;

// HubSpot hashes the URI with exactly these escapes decoded, and no others.
const DECODED_ESCAPES: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function decodeSignedUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (encoded) => {
    return DECODED_ESCAPES[encoded.toUpperCase()] ?? encoded;
  });
}

export interface SignedRequest {
  readonly method: string;
  /** The full URL HubSpot called: public base URL + original path and query. */
  readonly uri: string;
  readonly rawBody: Buffer;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export function signV3(
  secret: string,
  method: string,
  uri: string,
  body: Buffer | string,
  timestamp: string,
) {
  const message = Buffer.concat([
    Buffer.from(`${method}${decodeSignedUri(uri)}`, 'utf8'),
    Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
    Buffer.from(timestamp, 'utf8'),
  ]);
  return createHmac('sha256', secret).update(message).digest('base64');
}

export function signV1(secret: string, body: Buffer | string): string {
  return createHash('sha256').update(secret).update(body).digest('hex');
}

export function signV2(secret: string, method: string, uri: string, body: Buffer | string): string {
  return createHash('sha256').update(`${secret}${method}${uri}`).update(body).digest('hex');
}

function header(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function equalInConstantTime(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  // timingSafeEqual needs equal lengths; comparing against itself keeps the time independent of
  // where a wrong-length signature would have differed.
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

function checkTimestamp(raw: string | undefined, nowMs: number): string {
  if (raw === undefined || raw === '') throw new SignatureError(`Missing ${TIMESTAMP_HEADER} header`);
  if (!/^\d{1,16}$/.test(raw)) throw new SignatureError(`${TIMESTAMP_HEADER} is not epoch milliseconds`);
  const skew = nowMs - Number(raw);
  if (skew > MAX_CLOCK_DIFFERENCE_MS)
    throw new SignatureError('Request timestamp is more than 5 minutes old');
  if (skew < -MAX_CLOCK_DIFFERENCE_MS) {
    throw new SignatureError('Request timestamp is more than 5 minutes in the future');
  }
  return raw;
}

/** Throws SignatureError unless the request carries a valid, fresh v3 signature. */
export function verifyV3(request: SignedRequest, secret: string, nowMs: number): void {
  const signature = header(request, SIGNATURE_V3_HEADER);
  if (!signature) throw new SignatureError(`Missing ${SIGNATURE_V3_HEADER} header`);
  const timestamp = checkTimestamp(header(request, TIMESTAMP_HEADER), nowMs);
  const expected = signV3(secret, request.method, request.uri, request.rawBody, timestamp);
  if (!equalInConstantTime(expected, signature)) throw new SignatureError('Signature does not match');
}

/**
 * v1/v2 carry no timestamp, so a captured request can be replayed: accepted only for legacy apps
 * that do not send v3, and only when the operator opts in.
 */
export function verifyLegacy(request: SignedRequest, secret: string): void {
  const signature = header(request, SIGNATURE_HEADER);
  if (!signature)
    throw new SignatureError(`Missing ${SIGNATURE_V3_HEADER} (or legacy ${SIGNATURE_HEADER}) header`);
  const version = header(request, SIGNATURE_VERSION_HEADER) ?? 'v1';
  let expected: string;
  if (version === 'v1') expected = signV1(secret, request.rawBody);
  else if (version === 'v2') expected = signV2(secret, request.method, request.uri, request.rawBody);
  // Not echoed: an error message carries nothing the caller sent.
  else throw new SignatureError(`Unsupported ${SIGNATURE_VERSION_HEADER}: v1 and v2 are accepted`);
  if (!equalInConstantTime(expected, signature.toLowerCase())) {
    throw new SignatureError('Signature does not match');
  }
}

export interface VerifyOptions {
  readonly secret: string;
  readonly nowMs: number;
  readonly acceptLegacy: boolean;
}

/** v3 whenever the request has it; the legacy schemes only when allowed and v3 is absent. */
export function verifyHubSpotSignature(request: SignedRequest, options: VerifyOptions): void {
  if (options.acceptLegacy && header(request, SIGNATURE_V3_HEADER) === undefined) {
    verifyLegacy(request, options.secret);
    return;
  }
  verifyV3(request, options.secret, options.nowMs);
}

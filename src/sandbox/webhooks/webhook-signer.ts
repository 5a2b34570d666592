import { createHash, createHmac } from 'node:crypto';

/** v3: base64 HMAC-SHA256 over method + full URI + body + timestamp (ms), keyed by the client secret. */
export function signatureV3(
  secret: string,
  method: string,
  uri: string,
  body: string,
  timestamp: string,
): string {
  return createHmac('sha256', secret).update(`${method}${uri}${body}${timestamp}`, 'utf8').digest('base64');
}

/** v1: hex SHA-256 of client secret + body (still sent next to v3 for object webhooks). */
export function signatureV1(secret: string, body: string): string {
  return createHash('sha256').update(`${secret}${body}`, 'utf8').digest('hex');
}

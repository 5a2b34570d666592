import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeSignedUri,
  signV1,
  signV2,
  verifyHubSpotSignature,
  verifyLegacy,
  verifyV3,
} from '../../src/hubspot/signature.ts';

const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const NOW = 1_764_000_000_000;

// Computed here from HubSpot's documented recipe, independently of the module under test.
function referenceV3(secret: string, method: string, uri: string, body: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${method}${uri}${body}${timestamp}`, 'utf8').digest('base64');
}

function request(uri: string, body: string, headers: Record<string, string>) {
  return { method: 'POST', uri, rawBody: Buffer.from(body, 'utf8'), headers };
}

describe('published HubSpot vectors', () => {
  it('v1: hex sha256 of secret + body', () => {
    const body =
      '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
    expect(signV1(SECRET, body)).toBe('232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de');
  });

  it('v2: hex sha256 of secret + method + uri + body', () => {
    expect(signV2(SECRET, 'GET', 'https://www.example.com/webhook_uri', '')).toBe(
      'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e',
    );
  });
});

describe('v3', () => {
  const uri = 'https://closeloop.example.com/webhooks/hubspot';
  const body = '[{"eventId":1}]';
  const timestamp = String(NOW - 1000);
  const good = referenceV3(SECRET, 'POST', uri, body, timestamp);
  const headers = { 'x-hubspot-signature-v3': good, 'x-hubspot-request-timestamp': timestamp };

  it('accepts a good signature', () => {
    expect(() => verifyV3(request(uri, body, headers), SECRET, NOW)).not.toThrow();
  });

  it.each([
    ['tampered body', request(uri, '[{"eventId":2}]', headers), SECRET, NOW, 'does not match'],
    ['wrong secret', request(uri, body, headers), 'another-secret', NOW, 'does not match'],
    ['other URL', request(`${uri}x`, body, headers), SECRET, NOW, 'does not match'],
    ['stale (5 min + 1 ms)', request(uri, body, headers), SECRET, NOW - 1000 + 300_001, 'old'],
    ['future (5 min + 1 ms)', request(uri, body, headers), SECRET, NOW - 1000 - 300_001, 'future'],
    [
      'missing signature',
      request(uri, body, { 'x-hubspot-request-timestamp': timestamp }),
      SECRET,
      NOW,
      'Missing',
    ],
    ['missing timestamp', request(uri, body, { 'x-hubspot-signature-v3': good }), SECRET, NOW, 'Missing'],
    [
      'seconds, not ms',
      request(uri, body, { ...headers, 'x-hubspot-request-timestamp': 'abc' }),
      SECRET,
      NOW,
      'epoch',
    ],
    [
      'truncated signature',
      request(uri, body, { ...headers, 'x-hubspot-signature-v3': good.slice(0, 10) }),
      SECRET,
      NOW,
      'does not match',
    ],
  ])('rejects %s with 401', (_name, req, secret, now, message) => {
    expect(() => verifyV3(req, secret, now)).toThrow(
      expect.objectContaining({ status: 401, message: expect.stringContaining(message) }),
    );
  });

  it('accepts exactly 5 minutes of skew either way', () => {
    expect(() => verifyV3(request(uri, body, headers), SECRET, NOW - 1000 + 300_000)).not.toThrow();
    expect(() => verifyV3(request(uri, body, headers), SECRET, NOW - 1000 - 300_000)).not.toThrow();
  });

  it('decodes the escapes HubSpot decodes before hashing, and no others', () => {
    const encoded = 'https://h.example.com/webhooks/hubspot?a=%3A%2F%3F%40%21%24%27%28%29%2A%2C%3B&b=%20%3d';
    const decoded = "https://h.example.com/webhooks/hubspot?a=:/?@!$'()*,;&b=%20%3d";
    expect(decodeSignedUri(encoded)).toBe(decoded);
    const signature = referenceV3(SECRET, 'POST', decoded, body, timestamp);
    const req = request(encoded, body, {
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': timestamp,
    });
    expect(() => verifyV3(req, SECRET, NOW)).not.toThrow();
  });

  it('signs the query string', () => {
    const withQuery = `${uri}?portal=1`;
    const signature = referenceV3(SECRET, 'POST', withQuery, body, timestamp);
    const signed = { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp };
    expect(() => verifyV3(request(withQuery, body, signed), SECRET, NOW)).not.toThrow();
    expect(() => verifyV3(request(uri, body, signed), SECRET, NOW)).toThrow(/does not match/);
  });

  it('hashes the body as UTF-8 bytes', () => {
    const unicode = '[{"name":"Zoë 🚀"}]';
    const signature = referenceV3(SECRET, 'POST', uri, unicode, timestamp);
    const req = request(uri, unicode, {
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': timestamp,
    });
    expect(() => verifyV3(req, SECRET, NOW)).not.toThrow();
  });
});

describe('legacy signatures', () => {
  const body = '[{"eventId":1}]';
  const uri = 'https://closeloop.example.com/webhooks/hubspot';

  it('checks v1 and v2 by their version header', () => {
    const v1 = request(uri, body, {
      'x-hubspot-signature': signV1(SECRET, body),
      'x-hubspot-signature-version': 'v1',
    });
    const v2 = request(uri, body, {
      'x-hubspot-signature': signV2(SECRET, 'POST', uri, body),
      'x-hubspot-signature-version': 'v2',
    });
    expect(() => verifyLegacy(v1, SECRET)).not.toThrow();
    expect(() => verifyLegacy(v2, SECRET)).not.toThrow();
    expect(() => verifyLegacy({ ...v1, rawBody: Buffer.from('[]') }, SECRET)).toThrow(/does not match/);
  });

  it('is refused unless the operator opted in', () => {
    const v1 = request(uri, body, {
      'x-hubspot-signature': signV1(SECRET, body),
      'x-hubspot-signature-version': 'v1',
    });
    expect(() => verifyHubSpotSignature(v1, { secret: SECRET, nowMs: NOW, acceptLegacy: false })).toThrow(
      /Missing/,
    );
    expect(() =>
      verifyHubSpotSignature(v1, { secret: SECRET, nowMs: NOW, acceptLegacy: true }),
    ).not.toThrow();
  });
});

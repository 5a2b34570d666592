import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { RawRequest } from './raw-http.ts';
import { arbitraryBody, plainQuery, validDelivery } from './webhook-arbitraries.ts';
import { type Header, signedHeaders, signV3, WEBHOOK_PATH } from './webhook-client.ts';

const FIVE_MINUTES = 5 * 60_000;
const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});
const headerValue = printable.map((value) => value.trim());
const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,20}$/);

const without = (headers: Header[], name: string) =>
  headers.filter(([key]) => key.toLowerCase() !== name.toLowerCase());
const replaced = (headers: Header[], name: string, value: string): Header[] => [
  ...without(headers, name),
  [name, value],
];

/** Changes that leave a signed delivery valid: header name case, proxy headers, charset. */
const harmless: fc.Arbitrary<(headers: Header[]) => Header[]> = fc
  .record({
    casing: fc.constantFrom('as-is', 'lower', 'upper'),
    host: fc.option(fc.domain()),
    forwarded: fc.option(fc.tuple(fc.domain(), fc.constantFrom('http', 'https'), fc.ipV4())),
    charset: fc.boolean(),
    requestId: fc.option(printable),
  })
  .map(({ casing, host, forwarded, charset, requestId }) => (headers: Header[]) => {
    let out = charset ? replaced(headers, 'Content-Type', 'application/json; charset=utf-8') : headers;
    if (host) out = [...out, ['Host', host]];
    if (forwarded)
      out = [
        ...out,
        ['X-Forwarded-Host', forwarded[0]],
        ['X-Forwarded-Proto', forwarded[1]],
        ['X-Forwarded-For', forwarded[2]],
      ];
    if (requestId !== null) out = [...out, ['X-Request-Id', requestId.trim()]];
    const cased = (name: string) =>
      casing === 'lower' ? name.toLowerCase() : casing === 'upper' ? name.toUpperCase() : name;
    return out.map(([name, value]) => [cased(name), value] as const);
  });

export const headerMutation = { harmless };

type Breaker = (secret: string, url: string, body: Buffer) => Header[];
const SIGNATURE = 'X-HubSpot-Signature-v3';
const TIMESTAMP = 'X-HubSpot-Request-Timestamp';

/** Every way a signature can be missing, wrong, stale or for something else. */
export const signatureBreaker: fc.Arbitrary<Breaker> = fc.oneof(
  fc.constant<Breaker>((secret, url, body) => without(signedHeaders(secret, url, body), SIGNATURE)),
  fc.constant<Breaker>((secret, url, body) => without(signedHeaders(secret, url, body), TIMESTAMP)),
  fc.oneof(printable, fc.base64String({ minLength: 44, maxLength: 44 })).map(
    (forged): Breaker =>
      (secret, url, body) =>
        replaced(signedHeaders(secret, url, body), SIGNATURE, forged.trim() || 'x'),
  ),
  fc.nat().map(
    (at): Breaker =>
      (secret, url, body) => {
        const headers = signedHeaders(secret, url, body);
        const signature = headers.find(([name]) => name === SIGNATURE)?.[1] ?? '';
        const index = at % signature.length;
        const flipped = signature[index] === 'A' ? 'B' : 'A';
        return replaced(
          headers,
          SIGNATURE,
          `${signature.slice(0, index)}${flipped}${signature.slice(index + 1)}`,
        );
      },
  ),
  printable.map(
    (other): Breaker =>
      (_secret, url, body) =>
        signedHeaders(`${other}!`, url, body),
  ),
  fc.constant<Breaker>((secret, url, body) => [
    ...signedHeaders(secret, url, Buffer.concat([body, Buffer.from(' ')])),
  ]),
  fc.constant<Breaker>((secret, url, body) =>
    signedHeaders(secret, url.replace(/^https:\/\/[^/]+/, 'http://127.0.0.1'), body),
  ),
  fc
    .oneof(
      fc.integer({ min: FIVE_MINUTES + 1000, max: 1e11 }),
      fc.integer({ min: -1e11, max: -FIVE_MINUTES - 1000 }),
    )
    .map(
      (drift): Breaker =>
        (secret, url, body) =>
          signedHeaders(secret, url, body, Date.now() - drift),
    ),
  fc.integer({ min: 1, max: 10_000 }).map(
    (shift): Breaker =>
      (secret, url, body) => {
        const headers = signedHeaders(secret, url, body);
        const stamp = Number(headers.find(([name]) => name === TIMESTAMP)?.[1]);
        return replaced(headers, TIMESTAMP, String(stamp + shift));
      },
  ),
  printable.map(
    (stamp): Breaker =>
      (secret, url, body) => {
        const timestamp = stamp.trim();
        const headers = replaced(signedHeaders(secret, url, body), TIMESTAMP, timestamp);
        return replaced(headers, SIGNATURE, signV3(secret, 'POST', url, body, timestamp));
      },
  ),
  fc.base64String({ minLength: 4, maxLength: 44 }).map(
    (second): Breaker =>
      (secret, url, body) => [...signedHeaders(secret, url, body), [SIGNATURE, second]],
  ),
  // A legacy v1 signature alone: refused unless the operator opted in.
  fc.constant<Breaker>((secret, url, body) => [
    ...without(signedHeaders(secret, url, body), SIGNATURE),
    ['X-HubSpot-Signature', createHash('sha256').update(secret).update(body).digest('hex')],
  ]),
);

const ODD_TARGETS = [
  `${WEBHOOK_PATH}/`,
  WEBHOOK_PATH.toUpperCase(),
  '/webhooks//hubspot',
  `/${WEBHOOK_PATH}`,
  `${WEBHOOK_PATH}/..`,
  `${WEBHOOK_PATH}%2F`,
  `${WEBHOOK_PATH}?%`,
  `${WEBHOOK_PATH}?a=%E0%A4%A`,
  `http://evil.example${WEBHOOK_PATH}`,
  '*',
  '/%',
  '/%zz',
  '/api/campaigns/%E0%A4%A',
  '/api/campaigns/%/spend',
  '/api/card/contacts/%zz',
  '/api/card/%E0/1',
  '/campaigns/%',
  '/admin/queues/%',
  '/admin/queues/api/queues/%zz',
  `/${'a'.repeat(9000)}`,
];

const target = fc.oneof(
  { weight: 3, arbitrary: plainQuery.map((query) => `${WEBHOOK_PATH}${query}`) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD_TARGETS) },
  {
    weight: 1,
    arbitrary: fc
      .array(
        printable.map((part) => part.replaceAll(' ', '')),
        { maxLength: 5 },
      )
      .map((parts) => `/${parts.join('/')}`),
  },
);

/** Mostly absent: each framing fault is tried on its own often enough, and well-framed requests still happen. */
const sometimes = <T>(values: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: values });

const framing = fc.record({
  contentLength: fc.oneof(
    { weight: 6, arbitrary: fc.constant<'omit' | 'right'>('right') },
    { weight: 1, arbitrary: fc.constant<'omit' | 'right'>('omit') },
    { weight: 2, arbitrary: fc.nat({ max: 5000 }).map(String) },
    { weight: 1, arbitrary: fc.constantFrom('-1', 'abc', '1e3', '0x10', '10, 20', '') },
  ),
  transferEncoding: sometimes(fc.constantFrom('chunked', 'gzip, chunked', 'identity', 'x-unknown')),
  contentEncoding: sometimes(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown')),
  contentType: fc.oneof(
    { weight: 4, arbitrary: fc.constant('application/json') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
        'APPLICATION/JSON; charset=latin1',
      ),
    },
    { weight: 1, arbitrary: headerValue },
  ),
  extra: fc.array(fc.tuple(token, headerValue), { maxLength: 3 }),
});

/** Any method, target, framing and headers; `signed` when the signature is right for what was sent. */
export function strangeRequest(
  secret: string,
  baseUrl: string,
): fc.Arbitrary<{ request: RawRequest; signed: boolean }> {
  return fc
    .record({
      method: fc.oneof(
        fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE'),
        token,
      ),
      target,
      body: fc.oneof(
        arbitraryBody,
        validDelivery.map((events) => Buffer.from(JSON.stringify(events))),
      ),
      sign: fc.boolean(),
      framing,
    })
    .map(({ method, target, body, sign, framing }) => {
      const signedFor = signedHeaders(secret, `${baseUrl}${target}`, body);
      let headers: Header[] = sign ? signedFor : signedFor.filter(([name]) => name !== SIGNATURE);
      headers = replaced(without(headers, 'Content-Length'), 'Content-Type', framing.contentType);
      if (framing.contentLength === 'right') headers.push(['Content-Length', String(body.length)]);
      else if (framing.contentLength !== 'omit') headers.push(['Content-Length', framing.contentLength]);
      if (framing.transferEncoding) headers.push(['Transfer-Encoding', framing.transferEncoding]);
      if (framing.contentEncoding) headers.push(['Content-Encoding', framing.contentEncoding]);
      headers.push(...framing.extra);
      const declared = Number(framing.contentLength);
      const incomplete =
        Boolean(framing.transferEncoding) || (Number.isFinite(declared) && declared > body.length);
      return {
        request: { method, target, headers, body, idleMs: incomplete ? 100 : undefined },
        signed: sign,
      };
    });
}

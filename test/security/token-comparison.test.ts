import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenMatches } from '../../src/http/auth.ts';

const ROOT = join(import.meta.dirname, '../..');
const source = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Every file of serve that handles a credential: the dashboard token, the session, HubSpot's signature. */
const CREDENTIAL_FILES = [
  ...readdirSync(join(ROOT, 'src/http'))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `src/http/${name}`),
  'src/serve.ts',
  'src/serve-routes.ts',
  'src/hubspot/signature.ts',
  ...readdirSync(join(ROOT, 'webhooks')).map((name) => `webhooks/${name}`),
];

// Names that hold a credential or what a request presented as one.
const CREDENTIAL =
  /^(token|presented|bearer|session|expected|sent|received|signature|secret|authorization|cookie|\w*(Token|Secret|Signature))$/;
const LITERAL = /^('[^']*'|"[^"]*"|`[^`]*`|undefined|null|true|false|-?\d+)$/;
const operand = (text: string) => text.replace(/^[(!]+|[),;]+$/g, '');

/** `a === b` comparisons in a file where a credential meets anything but a literal. */
function plainComparisons(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(typeof\s+)?([\w.?[\]'"()!]+)\s*([!=]==?)\s*([\w.?[\]'"`()]+)/g)) {
    const [whole, typeOf, left = '', , right = ''] = match;
    if (typeOf) continue;
    const [a, b] = [operand(left), operand(right)];
    const credential = [a, b].some((side) => CREDENTIAL.test(side.split('.').pop() ?? ''));
    if (credential && !LITERAL.test(a) && !LITERAL.test(b)) found.push(whole);
  }
  return found;
}

describe('token comparison', () => {
  it('matches only the very token', () => {
    const token = 'a-dashboard-token-0123456789';
    expect(tokenMatches(token, token)).toBe(true);
    for (const other of [
      '',
      token.slice(0, -1),
      `${token}9`,
      `${token.slice(0, -1)}8`,
      token.toUpperCase(),
      ` ${token}`,
      'x'.repeat(token.length),
      'x'.repeat(10_000),
    ])
      expect(tokenMatches(token, other), JSON.stringify(other)).toBe(false);
  });

  it('compares equal-length SHA-256 digests with timingSafeEqual, so neither content nor length leaks', () => {
    const auth = source('src/http/auth.ts');
    expect(auth).toMatch(/function digest\(value: string\): Buffer \{\s*return createHash\('sha256'\)/);
    expect(auth).toMatch(
      /export function tokenMatches\([^)]*\): boolean \{\s*return timingSafeEqual\(digest\(expected\), digest\(received\)\);\s*\}/,
    );
  });

  it("checks HubSpot's signature in constant time, never comparing lengths' contents early", () => {
    const signature = source('src/hubspot/signature.ts');
    expect(signature).toMatch(/if \(a\.length !== b\.length\) \{\s*timingSafeEqual\(a, a\);\s*return false;/);
    expect(signature).toMatch(/return timingSafeEqual\(a, b\);/);
    expect(signature.match(/equalInConstantTime\(expected, signature/g)).toHaveLength(2);
  });

  it('every credential check in serve goes through those comparisons', () => {
    const session = source('src/http/session.ts');
    // Bearer, session cookie, CSRF double submit, login form.
    expect(session.match(/tokenMatches\(/g)).toHaveLength(4);
    expect(source('src/http/auth.ts')).toMatch(/bearer && tokenMatches\(token, bearer\)/);
    expect(source('src/http/admin-queues.ts')).toMatch(/authenticate\(req, token\)/);
    for (const file of CREDENTIAL_FILES) expect(plainComparisons(source(file)), file).toEqual([]);
  });

  it('would notice a plain comparison of a credential', () => {
    expect(plainComparisons('if (bearer === token) next();')).toHaveLength(1);
    expect(plainComparisons('return req.headers.authorization !== wanted;')).toHaveLength(1);
    expect(plainComparisons("if (typeof sent !== 'string' || token === undefined) return;")).toEqual([]);
  });
});

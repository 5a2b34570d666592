import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/http/session.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';
import { doorKey, knock, MACHINE_DOORS } from './support/door-kinds.ts';
import { call, type HttpAnswer } from './support/http-client.ts';
import { type Door, doorsOf } from './support/routes.ts';
import { DASHBOARD_TOKEN, type ServedForTest, serveForTest } from './support/serve-for-test.ts';

const prefix = uniquePrefix(import.meta.filename);
const AUTH = { authorization: `Bearer ${DASHBOARD_TOKEN}` };

function directives(answer: HttpAnswer): Map<string, string> {
  const policy = String(answer.headers['content-security-policy'] ?? '');
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => [part.split(/\s+/)[0] as string, part.slice(part.indexOf(' ') + 1)]),
  );
}

/** What helmet owes a browser on any answer: a policy, no sniffing, no framing, no referrer, no banner. */
function browserHeaderProblems(answer: HttpAnswer): string[] {
  const problems: string[] = [];
  const csp = directives(answer);
  if (csp.get('default-src') !== "'self'") problems.push(`default-src ${csp.get('default-src')}`);
  if (!["'self'", "'none'"].includes(csp.get('frame-ancestors') ?? ''))
    problems.push(`frame-ancestors ${csp.get('frame-ancestors')}`);
  if (csp.get('object-src') !== "'none'") problems.push(`object-src ${csp.get('object-src')}`);
  const scripts = csp.get('script-src') ?? '';
  if (scripts !== "'self'") problems.push(`script-src ${scripts}`);
  if (answer.headers['x-content-type-options'] !== 'nosniff') problems.push('X-Content-Type-Options');
  if (!['SAMEORIGIN', 'DENY'].includes(String(answer.headers['x-frame-options'])))
    problems.push('X-Frame-Options');
  if (answer.headers['referrer-policy'] !== 'no-referrer') problems.push('Referrer-Policy');
  if (!String(answer.headers['strict-transport-security']).startsWith('max-age='))
    problems.push('Strict-Transport-Security');
  if (answer.headers['x-powered-by'] !== undefined) problems.push('X-Powered-By');
  return problems;
}

describe('security headers (helmet)', () => {
  let served: ServedForTest;
  let doors: Door[];
  const browserDoors = () => doors.filter((door) => !MACHINE_DOORS.has(doorKey(door)));

  beforeAll(async () => {
    served = await serveForTest(prefix);
    doors = await doorsOf(served.config);
  });
  afterAll(async () => {
    await served?.server.close();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  it('sends them on every door a browser can open, with the token and without, on success and refusal', async () => {
    expect(browserDoors().length).toBeGreaterThan(50);
    for (const headers of [AUTH, {}])
      for (const door of browserDoors()) {
        const answer = await knock(served.server.url, door, headers);
        expect(browserHeaderProblems(answer), `${doorKey(door)} → ${answer.status}`).toEqual([]);
      }
  });

  it('sends them on a 404 and on a path that cannot be decoded', async () => {
    for (const path of ['/no/such/route', '/api/campaigns/%E0%A4%A', '/admin/queues/api/queues/%zz/1']) {
      const answer = await knock(served.server.url, { method: 'GET', path, pattern: path }, AUTH);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(browserHeaderProblems(answer), path).toEqual([]);
    }
  });

  it('never names the server software, not even where only machines call', async () => {
    for (const door of doors.filter((door) => MACHINE_DOORS.has(doorKey(door)))) {
      const answer = await knock(served.server.url, door, {});
      expect(answer.headers['x-powered-by'], doorKey(door)).toBeUndefined();
      expect(answer.headers.server, doorKey(door)).toBeUndefined();
    }
  });

  it('sets the session cookie HttpOnly, Secure and SameSite=Strict, holding no token', async () => {
    const answer = await call(served.server.url, {
      method: 'POST',
      path: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(DASHBOARD_TOKEN)}`,
    });
    expect(answer.status).toBe(303);
    const cookies = [answer.headers['set-cookie'] ?? []].flat();
    const session = cookies.find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; Secure/);
    expect(session).toMatch(/; SameSite=Strict/);
    expect(cookies.join('\n')).not.toContain(DASHBOARD_TOKEN);
    expect(browserHeaderProblems(answer)).toEqual([]);
  });
});

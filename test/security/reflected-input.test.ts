import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';
import { doorKey, knock } from './support/door-kinds.ts';
import { configureFuzzing, FUZZ_TIMEOUT_MS } from './support/fuzz-settings.ts';
import { call, type HttpAnswer, sendablePath } from './support/http-client.ts';
import { type Door, doorsOf } from './support/routes.ts';
import { DASHBOARD_TOKEN, type ServedForTest, serveForTest } from './support/serve-for-test.ts';

const prefix = uniquePrefix(import.meta.filename);
const AUTH = { authorization: `Bearer ${DASHBOARD_TOKEN}` };
// Query keys serve or the board read, and one nobody reads.
const QUERY_KEYS = [
  'from',
  'to',
  'next',
  'failed',
  'activeQueue',
  'queueName',
  'status',
  'page',
  'token',
  'zz',
];

/**
 * A value that would do harm if a page or a sniffing browser took it as markup: it opens with
 * characters HTML or JSON give meaning to, then a marker no answer holds by chance. A quote
 * alone is legal in a URL and in a JSON string (the login redirect carries one percent-encoded
 * URL), so it is tried only in front of markup.
 */
const hostile = fc
  .record({
    opening: fc.constantFrom(
      '<',
      '"',
      "'<",
      '<script>',
      '<img src=x onerror=',
      '</title><',
      '"><svg/onload=',
    ),
    marker: fc.stringMatching(/^[a-z]{10}$/),
    rest: fc.string({ maxLength: 12 }),
  })
  .map(({ opening, marker, rest }) => ({
    value: `${opening}${marker}${rest}`,
    unescaped: `${opening}${marker}`,
  }));

interface Placement {
  readonly inPath: boolean;
  readonly queryKeys: string[];
  readonly asKey: boolean;
  readonly escaped: boolean;
  readonly withToken: boolean;
}

/** Where the value goes: into every path parameter, the query (values or keys), escaped or as sent. */
const placement: fc.Arbitrary<Placement> = fc.record({
  inPath: fc.boolean(),
  queryKeys: fc.subarray(QUERY_KEYS),
  asKey: fc.boolean(),
  escaped: fc.boolean(),
  withToken: fc.boolean(),
});

function target(door: Door, value: string, where: Placement): string {
  const put = (text: string) => (where.escaped ? encodeURIComponent(text) : text);
  const path = where.inPath ? door.path.replaceAll('x1', put(value)) : door.path;
  const pairs = where.queryKeys.map((key) => (where.asKey ? `${put(value)}=${key}` : `${key}=${put(value)}`));
  return sendablePath(pairs.length > 0 ? `${path}?${pairs.join('&')}` : path);
}

/** Whatever the answer, the value comes back nowhere as it was sent. */
function echoes(answer: HttpAnswer, unescaped: string): string | undefined {
  if (answer.text.includes(unescaped)) return 'body';
  const headers = Object.entries(answer.headers).filter(([, value]) => String(value).includes(unescaped));
  return headers.length > 0 ? `header ${headers[0]?.[0]}` : undefined;
}

configureFuzzing();

describe('no reflected input', { timeout: FUZZ_TIMEOUT_MS }, () => {
  let served: ServedForTest;
  let doors: Door[];

  beforeAll(async () => {
    served = await serveForTest(prefix);
    // An unknown path is a door too: the 404 answers it.
    doors = [...(await doorsOf(served.config)), { method: 'GET', path: '/x1/x1', pattern: '/:unknown' }];
  });
  afterAll(async () => {
    await served?.server.close();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  it('never echoes a hostile path or query value, on any door, with the token or without', async () => {
    const tried = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...doors),
        hostile,
        placement,
        async (door, { value, unescaped }, where) => {
          const answer = await knock(
            served.server.url,
            door,
            where.withToken ? AUTH : {},
            target(door, value, where),
          );
          tried.add(doorKey(door));
          // 503 is the honest answer before any figures exist; a 500 would be a crash.
          expect(answer.status, answer.text).not.toBe(500);
          expect(
            echoes(answer, unescaped),
            `${doorKey(door)} ${answer.status} ${answer.text}`,
          ).toBeUndefined();
        },
      ),
      { numRuns: 600 },
    );
    expect(tried.size).toBeGreaterThan(doors.length * 0.9);
  });

  it('never echoes a hostile value given to the login form', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, fc.boolean(), async ({ value, unescaped }, right) => {
        const token = right ? DASHBOARD_TOKEN : value;
        const answer = await call(served.server.url, {
          method: 'POST',
          path: '/login',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token, next: value }).toString(),
        });
        expect(answer.status).toBe(303);
        expect(echoes(answer, unescaped)).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });
});

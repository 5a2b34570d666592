import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/http/session.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';
import {
  doorKey as key,
  knock as knockAt,
  OPEN_DOORS as OPEN,
  refused,
  SIGNED_DOORS as SIGNED,
} from './support/door-kinds.ts';
import { type Door, doorsOf } from './support/routes.ts';
import { DASHBOARD_TOKEN, type ServedForTest, serveForTest } from './support/serve-for-test.ts';

const prefix = uniquePrefix(import.meta.filename);

const WRONG_TOKENS: Record<string, Record<string, string>> = {
  'no credentials': {},
  'a wrong token of the same length': { authorization: `Bearer ${'x'.repeat(DASHBOARD_TOKEN.length)}` },
  'a wrong token of another length': { authorization: `Bearer ${DASHBOARD_TOKEN}x` },
  'the token cut short': { authorization: `Bearer ${DASHBOARD_TOKEN.slice(0, -1)}` },
  'an empty bearer': { authorization: 'Bearer ' },
  'the token in another scheme': { authorization: `Basic ${DASHBOARD_TOKEN}` },
  'the token as the session cookie': { cookie: `${SESSION_COOKIE}=${DASHBOARD_TOKEN}` },
  'the token as a header of its own': { 'x-dashboard-token': DASHBOARD_TOKEN },
};

describe('access to the dashboard, the API and the board', () => {
  let served: ServedForTest;
  let doors: Door[];
  const knock = (door: Door, headers: Record<string, string>, target = door.path) =>
    knockAt(served.server.url, door, headers, target);

  beforeAll(async () => {
    served = await serveForTest(prefix);
    doors = await doorsOf(served.config);
  });
  afterAll(async () => {
    await served?.server.close();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  it('finds every door serve mounts, the open ones among them', () => {
    const found = new Set(doors.map(key));
    for (const door of [...Object.keys(OPEN), ...SIGNED]) expect(found).toContain(door);
    for (const door of ['GET /', 'GET /api/campaigns', 'PUT /api/campaigns/:campaign/spend', 'GET /metrics'])
      expect(found).toContain(door);
    expect(doors.filter((door) => door.pattern.startsWith('/admin/queues')).length).toBeGreaterThan(20);
  });

  it('refuses every other door without the token, with a wrong token, or with the token misplaced', async () => {
    const guarded = doors.filter((door) => !(key(door) in OPEN));
    for (const [how, headers] of Object.entries(WRONG_TOKENS))
      for (const door of guarded) {
        const answer = await knock(door, headers);
        expect(refused(door, answer), `${key(door)} with ${how}: ${answer.status} ${answer.text}`).toBe(true);
      }
  });

  it('refuses the token in the query string', async () => {
    for (const door of doors.filter((door) => !(key(door) in OPEN))) {
      const target = `${door.path}${door.path.includes('?') ? '&' : '?'}token=${DASHBOARD_TOKEN}`;
      const answer = await knock(door, {}, target);
      expect(refused(door, answer), `${key(door)}: ${answer.status}`).toBe(true);
    }
  });

  it('lets the token through every guarded door but those HubSpot signs', async () => {
    const headers = { authorization: `Bearer ${DASHBOARD_TOKEN}` };
    for (const door of doors.filter((door) => !(key(door) in OPEN))) {
      const answer = await knock(door, headers);
      expect(refused(door, answer), `${key(door)}: ${answer.status} ${answer.text}`).toBe(
        SIGNED.has(key(door)),
      );
    }
  });
});

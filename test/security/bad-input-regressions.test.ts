import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';
import { call, type HttpAnswer, isJsonError } from './support/http-client.ts';
import { DASHBOARD_TOKEN, type ServedForTest, serveForTest } from './support/serve-for-test.ts';

const AUTH = { authorization: `Bearer ${DASHBOARD_TOKEN}` };
const prefix = uniquePrefix(import.meta.filename);

/** Inputs the fuzzing found answered 500 (or mistyped): each now a clear, typed 4xx. */
describe('bad input found by fuzzing', () => {
  let served: ServedForTest;
  const get = (path: string) => call(served.server.url, { path, headers: AUTH });
  const expectClear4xx = (answer: HttpAnswer, status: number) => {
    expect(answer.status, answer.text).toBe(status);
    expect(isJsonError(answer, { behindHelmet: true }), answer.text).toBe(true);
  };

  beforeAll(async () => {
    served = await serveForTest(prefix);
  });
  afterAll(async () => {
    await served?.server.close();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  it('answers a path parameter that is not valid percent-encoding 400, not 500', async () => {
    for (const path of ['/api/campaigns/%E0%A4%A', '/api/campaigns/%/spend', '/campaigns/%zz']) {
      const answer = await get(path);
      expectClear4xx(answer, 400);
      expect(answer.text).not.toMatch(/%E0|%zz|"%"/);
    }
  });

  it("answers a queue name the board cannot decode 400, not the board's 500", async () => {
    for (const query of ['activeQueue=%', 'queueName=%E0%A4%A', 'activeQueue=events&activeQueue=%zz']) {
      expectClear4xx(await get(`/admin/queues/api/queues?${query}`), 400);
    }
    expect((await get('/admin/queues/api/queues?activeQueue=events')).status).toBe(200);
  });

  it("answers a board path it cannot decode with closeloop's 400, not the board's echo of it", async () => {
    const answer = await call(served.server.url, {
      method: 'PUT',
      path: '/admin/queues/api/queues/<b>x%/empty',
      headers: AUTH,
    });
    expectClear4xx(answer, 400);
    expect(answer.text).not.toContain('<b>');
  });

  it('answers a CSV request with a bad cohort as a JSON error, not as a CSV attachment', async () => {
    const answer = await get('/api/campaigns.csv?from=2026-13-01');
    expectClear4xx(answer, 400);
    expect(answer.headers['content-disposition']).toBeUndefined();
  });

  it('answers an unknown path 404 without repeating the path', async () => {
    const answer = await get('/no/such/<b>route</b>');
    expectClear4xx(answer, 404);
    expect(answer.text).not.toContain('route</b>');
  });
});

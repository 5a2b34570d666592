import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { client, startTestSandbox } from './sandbox-test-helpers.ts';

let sandbox: RunningSandbox;
afterEach(() => sandbox.close());

/** HTTP-dates have whole seconds. */
const httpDate = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toUTCString();

describe('the Date header', () => {
  it('comes from the sandbox clock on every kind of answer', async () => {
    const at = Date.UTC(2031, 4, 6, 7, 8, 9, 500);
    sandbox = await startTestSandbox({
      now: at,
      freezeClock: true,
      accessToken: 'tok',
      dailyLimit: 1,
    });
    const call = client(sandbox);
    const auth = { Authorization: 'Bearer tok' };
    const answers = [
      await call('GET', '/crm/v3/objects/contacts', undefined, auth),
      await call('GET', '/crm/v3/objects/contacts', undefined, auth),
      await call('GET', '/crm/v3/objects/contacts'),
      await call('GET', '/no/such/route'),
      await call('GET', '/__sandbox/stats'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 429, 401, 404, 200]);
    expect(answers.map((a) => a.headers.get('date'))).toEqual(Array(5).fill('Tue, 06 May 2031 07:08:09 GMT'));
  });

  it('follows the clock set through the admin endpoint, so a client can measure its skew', async () => {
    sandbox = await startTestSandbox();
    const call = client(sandbox);
    const ahead = Date.now() + 3 * 3_600_000;
    const set = await call('POST', '/__sandbox/clock', { now: ahead });
    expect(set.headers.get('date')).toBe(httpDate(ahead));
    const read = await call('GET', '/crm/v3/objects/deals');
    const skew = Date.parse(read.headers.get('date') ?? '') - Date.now();
    // Three hours ahead, give or take the time the two calls took.
    expect(Math.round(skew / 60_000)).toBe(180);
    expect(new Date(read.headers.get('date') ?? '').toUTCString()).toBe(read.headers.get('date'));
  });
});

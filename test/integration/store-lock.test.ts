import { describe, expect, it, vi } from 'vitest';
import { lease } from '../../src/store/lock.ts';
import { storeFixture } from '../support/store-fixtures.ts';

const store = storeFixture(import.meta.filename);
// Two connections, as two processes would hold them.
const one = store.connect();
const two = store.connect();
const HOUR = 3_600_000;

const lockKey = () => `${store.freshKeys().base}:lock`;

describe('lease', () => {
  it('is exclusive and re-entrant for its holder', async () => {
    const key = lockKey();
    const a = lease(one, key, 'a', HOUR);
    const b = lease(two, key, 'b', HOUR);
    expect(await a.take()).toBe(true);
    expect(await b.take()).toBe(false);
    expect(await a.take()).toBe(true);
    // Another handle with the same holder id (a restarted attempt of the same run) is the holder.
    expect(await lease(two, key, 'a', HOUR).take()).toBe(true);
  });

  it('can be released only by its holder', async () => {
    const key = lockKey();
    const a = lease(one, key, 'a', HOUR);
    const b = lease(two, key, 'b', HOUR);
    await a.take();
    await b.release();
    expect(await one.get(key)).toBe('a');
    expect(await b.take()).toBe(false);

    await a.release();
    expect(await b.take()).toBe(true);
  });

  it('can be renewed only by its holder', async () => {
    const key = lockKey();
    const a = lease(one, key, 'a', HOUR);
    const b = lease(two, key, 'b', HOUR);
    await a.take();
    await one.pexpire(key, 5_000);
    expect(await b.renew()).toBe(false);
    expect(await one.pttl(key)).toBeLessThanOrEqual(5_000);
    expect(await a.renew()).toBe(true);
    // Renewal restores the full time to live.
    expect(await one.pttl(key)).toBeGreaterThan(5_000);
  });

  it('expires when its holder stops renewing it', async () => {
    const key = lockKey();
    const a = lease(one, key, 'a', 50);
    const b = lease(two, key, 'b', HOUR);
    expect(await a.take()).toBe(true);
    expect(await b.take()).toBe(false);
    // Wait for Redis to expire the key, not for a fixed time.
    await vi.waitFor(async () => expect(await b.take()).toBe(true), { timeout: 5_000, interval: 10 });
    expect(await a.take()).toBe(false);
    expect(await a.renew()).toBe(false);
  });
});

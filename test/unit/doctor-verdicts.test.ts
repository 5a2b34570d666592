import { describe, expect, it } from 'vitest';
import { parseInfo } from '../../src/commands/doctor-redis.ts';
import {
  backlogVerdict,
  clockVerdict,
  dailyBudgetVerdict,
  evictionVerdict,
  failedJobsVerdict,
  persistenceVerdict,
  redisVersionVerdict,
  scopeVerdict,
  workersVerdict,
  worstOf,
} from '../../src/core/doctor-verdicts.ts';

describe('redisVersionVerdict', () => {
  it.each([
    ['7.2.4', 'ok'],
    ['6.2.0', 'ok'],
    ['6.2.14', 'ok'],
    ['10.0.0', 'ok'],
    ['6.0.16', 'fail'],
    ['5.0.7', 'fail'],
    ['6.1.9', 'fail'],
  ])('Redis %s → %s', (version, status) => {
    expect(redisVersionVerdict(version).status).toBe(status);
  });
});

describe('Redis settings', () => {
  it.each([
    [true, 'ok'],
    [false, 'fail'],
  ])('append-only file %s → %s', (aof, status) => {
    expect(persistenceVerdict(aof).status).toBe(status);
  });

  it.each([
    ['noeviction', 'ok'],
    ['allkeys-lru', 'fail'],
    ['volatile-lru', 'fail'],
    [undefined, 'warn'],
  ])('maxmemory-policy %s → %s', (policy, status) => {
    expect(evictionVerdict(policy).status).toBe(status);
  });
});

describe('clockVerdict', () => {
  it.each<[number | undefined, string, string]>([
    [0, 'ok', 'this machine is in step with HubSpot'],
    [-40, 'ok', 'this machine is in step with HubSpot'],
    [-2_340, 'ok', 'this machine is 2.3 s ahead of HubSpot'],
    [10_000, 'ok', 'this machine is 10 s behind HubSpot'],
    [10_001, 'warn', 'this machine is 10 s behind HubSpot'],
    [-60_000, 'warn', 'this machine is 60 s ahead of HubSpot'],
    [60_001, 'fail', 'this machine is 60 s behind HubSpot: webhook signatures may be refused'],
    [-600_000, 'fail', 'this machine is 600 s ahead of HubSpot: webhook signatures may be refused'],
    [undefined, 'warn', "HubSpot's clock could not be read"],
  ])('a skew of %s ms → %s', (skew, status, detail) => {
    expect(clockVerdict('HubSpot', skew)).toMatchObject({ status, detail });
  });
});

describe('queues and workers', () => {
  it.each([
    [0, 0, 'ok'],
    [5000, 300, 'ok'],
    [12, 301, 'warn'],
    [12, 1800, 'warn'],
    [1, 1801, 'fail'],
  ])('%i waiting, the oldest for %i s → %s', (waiting, age, status) => {
    expect(backlogVerdict('sync', waiting, age).status).toBe(status);
  });

  it.each([
    [0, 'ok'],
    [3, 'warn'],
  ])('%i failed jobs → %s', (failed, status) => {
    expect(failedJobsVerdict('writeback', failed).status).toBe(status);
  });

  it.each<[number | undefined, string]>([
    [2, 'ok'],
    [0, 'fail'],
    [undefined, 'warn'],
  ])('%s worker connections → %s', (count, status) => {
    expect(workersVerdict(count).status).toBe(status);
  });
});

describe('dailyBudgetVerdict', () => {
  const day = { limit: 250_000, reserve: 25_000, resetsAt: Date.UTC(2026, 10, 23, 5) };
  it.each([
    [180_000, 'ok'],
    [25_001, 'ok'],
    [25_000, 'warn'],
    [1, 'warn'],
    [0, 'fail'],
  ])('%i calls left of 250,000 with a 25,000 reserve → %s', (remaining, status) => {
    expect(dailyBudgetVerdict({ ...day, remaining }).status).toBe(status);
  });

  it('names the numbers and the reset', () => {
    expect(dailyBudgetVerdict({ ...day, remaining: 12 })).toMatchObject({
      detail: '12 of 250,000 calls left today: reconcile and backfill wait for the reset',
      fix: expect.stringContaining('2026-11-23T05:00:00.000Z'),
    });
  });

  it('warns when HubSpot sent no budget', () => {
    expect(dailyBudgetVerdict(undefined).status).toBe('warn');
  });
});

describe('scopeVerdict', () => {
  it.each([
    ['granted', true, 'ok'],
    ['missing', true, 'fail'],
    ['missing', false, 'warn'],
    ['untested', true, 'warn'],
  ] as const)('%s, required %s → %s', (probe, required, status) => {
    expect(scopeVerdict('crm.objects.deals.write', 'why', probe, required).status).toBe(status);
  });
});

describe('worstOf', () => {
  const at = (status: 'ok' | 'warn' | 'fail') => ({
    section: 'redis' as const,
    name: 'x',
    status,
    detail: '',
  });
  it.each([
    [[], 'ok'],
    [[at('ok'), at('ok')], 'ok'],
    [[at('ok'), at('warn')], 'warn'],
    [[at('warn'), at('fail'), at('ok')], 'fail'],
  ])('%j → %s', (checks, status) => {
    expect(worstOf(checks)).toBe(status);
  });
});

describe('parseInfo', () => {
  it("reads INFO's key:value lines and skips section headers", () => {
    const info = parseInfo(
      '# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n\r\n# Persistence\r\naof_enabled:0\r\n',
    );
    expect(Object.fromEntries(info)).toEqual({
      redis_version: '7.0.15',
      redis_mode: 'standalone',
      aof_enabled: '0',
    });
  });
});

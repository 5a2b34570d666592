import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { report } from '../../src/commands/report.ts';
import { connectRedis } from '../../src/redis.ts';
import { type Loop, startLoop } from '../support/loop-harness.ts';
import { TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';

// webinar: 10 leads, 3 won (3,000); ads: 40 leads, 1 won (500).
function portal() {
  const contact = (id: number, campaign: string) => ({
    id: String(id),
    properties: {
      email: `r${id}@example.com`,
      createdate: '2026-03-01T09:00:00.000Z',
      hs_analytics_source: 'PAID_SEARCH',
      hs_analytics_source_data_1: campaign,
    },
  });
  const deal = (id: number) => ({
    id: String(id),
    properties: {
      dealname: `D${id}`,
      pipeline: 'default',
      dealstage: 'closedwon',
      amount: id === 904 ? '500' : '1000',
      createdate: '2026-03-10T09:00:00.000Z',
      closedate: '2026-04-01T09:00:00.000Z',
    },
  });
  return {
    contacts: [
      ...Array.from({ length: 10 }, (_, i) => contact(i + 1, 'webinar')),
      ...Array.from({ length: 40 }, (_, i) => contact(i + 11, 'ads')),
    ],
    deals: [deal(901), deal(902), deal(903), deal(904)],
    associations: [
      { contactId: '1', dealId: '901' },
      { contactId: '2', dealId: '902' },
      { contactId: '3', dealId: '903' },
      { contactId: '11', dealId: '904' },
    ],
  };
}

describe('closeloop report', () => {
  let loop: Loop;
  const redis = connectRedis(TEST_REDIS_URL, 'cli');
  const run = (options: Partial<Parameters<typeof report>[2]> = {}) =>
    report(redis, loop.config, { format: 'table', sort: 'leads', colour: false, ...options });

  beforeAll(async () => {
    loop = await startLoop(uniquePrefix(import.meta.filename));
    await loop.admin('/__sandbox/seed', portal());
    await loop.backfill();
    await loop.settle();
  }, 60_000);
  afterAll(async () => {
    redis.disconnect();
    await loop?.stop();
  });

  it('prints an aligned table, most leads first', async () => {
    const lines = (await run()).split('\n');
    expect(lines[0]).toMatch(/^campaign\s+leads\s+opps\s+won/);
    expect(lines[2]).toMatch(/^ads\s+40\s+1\s+1\b/);
    expect(lines[3]).toMatch(/^webinar\s+10\s+3\s+3\b/);
    // Every row as wide as the header: the columns line up.
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });

  it('sorts, filters to one campaign, and says when a campaign is unknown', async () => {
    const byAlignment = (await run({ sort: 'alignment' })).split('\n');
    expect(byAlignment[2]).toMatch(/^webinar/);
    expect((await run({ campaign: 'WEBINAR' })).split('\n')).toHaveLength(3);
    await expect(run({ campaign: 'nope' })).rejects.toThrow('No campaign named "nope"');
  });

  it('gives the API’s JSON and CSV', async () => {
    const json = JSON.parse(await run({ format: 'json' })) as { campaign: string }[];
    expect(json).toEqual(await loop.campaigns());
    const [header, first] = (await run({ format: 'csv' })).trim().split('\n');
    expect(header).toContain('closeRateAtHorizon.rate');
    expect(first).toMatch(/^ads,ads,40,/);
  });

  it('colours a terminal table and the CLI prints plain text when piped', async () => {
    expect(await run({ colour: true })).toContain('\u001b[');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['src/cli.ts', 'report', '--sort', 'won'],
      {
        env: {
          ...process.env,
          REDIS_URL: TEST_REDIS_URL,
          REDIS_PREFIX: loop.config.redis.prefix,
          FORCE_COLOR: '0',
        },
      },
    );
    expect(stdout).not.toContain('\u001b[');
    expect(stdout.split('\n')[2]).toMatch(/^webinar/);
  });
});

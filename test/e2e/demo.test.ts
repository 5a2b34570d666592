import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';

describe('closeloop demo --once', () => {
  const prefix = uniquePrefix(import.meta.filename);
  afterAll(async () => {
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  it('backfills the seeded portal, applies live events and prints the campaign table', async () => {
    const child = spawn(
      process.execPath,
      ['src/cli.ts', 'demo', '--once', '--port', '0', '--sandbox-port', '0'],
      {
        env: { ...process.env, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, LOG_LEVEL: 'error' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += String(chunk);
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(output).toMatch(/seeded \d{4} contacts/);
    expect(output).toMatch(/campaign\s+leads\s+opps\s+won/);
    for (const campaign of [
      'spring-sale-ppc',
      'Spring webinar',
      'AI launch 2026',
      'Referral program',
      '(none)',
    ]) {
      expect(output).toContain(campaign);
    }
    expect(output).toMatch(/HubSpot API calls closeloop made for the live events: \d+/);
    expect(code).toBe(0);
  }, 180_000);
});

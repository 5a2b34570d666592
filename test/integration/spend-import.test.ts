import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSpend } from '../../src/commands/spend-import.ts';
import { portalKeys } from '../../src/store/keys.ts';
import { savePortalSettings } from '../../src/store/portal-state.ts';
import { spendStore } from '../../src/store/spend.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';

const portal = {
  portalId: 77,
  timeZone: 'UTC',
  currency: 'EUR',
  uiDomain: 'app.hubspot.com',
  stageOrder: [],
  stageDateProperties: {},
  pipelines: [],
};

describe('closeloop spend import', () => {
  const prefix = uniquePrefix(import.meta.filename);
  const redis = new Redis(TEST_REDIS_URL);
  const dir = mkdtempSync(join(tmpdir(), 'closeloop-spend-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const stored = () => spendStore(redis, portalKeys(prefix, portal.portalId)).all();

  beforeAll(async () => {
    await savePortalSettings(redis, prefix, portal);
  });
  afterAll(async () => {
    redis.disconnect();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  it('imports a file and says what it imported', async () => {
    const summary = await importSpend(
      redis,
      prefix,
      file('good.csv', 'campaign,month,amount\nwebinar,2026-01,3100\nads,2026-01,500\nwebinar,2026-02,280\n'),
    );
    expect(summary).toBe('imported 3 spend rows for 2 campaigns (3,880 EUR in all)');
    expect((await stored()).get('webinar')).toHaveLength(2);
  });

  it('applies nothing of a file with one bad row, and the CLI exits 1 naming the line', async () => {
    const before = await stored();
    const bad = file('bad.csv', 'campaign,month,amount\nwebinar,2026-03,100\nads,2026-03,-7\n');
    await expect(importSpend(redis, prefix, bad)).rejects.toThrow(/line 3: amount must not be negative/);
    expect(await stored()).toEqual(before);
    const run = promisify(execFile)(process.execPath, ['src/cli.ts', 'spend', 'import', bad], {
      env: { ...process.env, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix },
    });
    await expect(run).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/line 3: amount must not be negative/),
    });
  });
});

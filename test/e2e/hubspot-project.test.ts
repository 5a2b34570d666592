import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHubSpotProject } from '../../src/commands/hubspot-project.ts';
import type { PortalSettings } from '../../src/hubspot/portal.ts';
import { connectRedis } from '../../src/redis.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { loadPortalSettings, savePortalSettings } from '../../src/store/portal-state.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';

const TOKEN = 'hubspot-project-token-81c2';
const PORTAL_ID = 51_234_567;
const WEBHOOKS = 'src/app/webhooks/webhooks-hsmeta.json';

type CliResult = { code: number; stdout: string; stderr: string };

/** The real CLI, with only the settings a test gives (none inherited that could change the output). */
async function cli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const { PATH, HOME } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['src/cli.ts', 'hubspot-project', ...args],
      { env: { PATH, HOME, REDIS_URL: TEST_REDIS_URL, ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function subscribedProperties(dir: string): Promise<string[]> {
  const meta = JSON.parse(await readFile(join(dir, WEBHOOKS), 'utf8'));
  return meta.config.subscriptions.crmObjects
    .filter((s: { propertyName?: string }) => s.propertyName)
    .map((s: { objectType: string; propertyName: string }) => `${s.objectType}.${s.propertyName}`);
}

describe('closeloop hubspot-project', () => {
  const redis = connectRedis(TEST_REDIS_URL, 'cli');
  const prefixes: string[] = [];
  const dirs: string[] = [];
  let sandbox: RunningSandbox;

  const prefix = () => {
    const value = uniquePrefix(import.meta.filename);
    prefixes.push(value);
    return value;
  };
  const outDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'closeloop-hubspot-project-'));
    dirs.push(dir);
    return dir;
  };
  const hubspotCalls = () =>
    Object.values(sandbox.stats().calls).reduce(
      (sum, byStatus) => sum + Object.values(byStatus).reduce((a, b) => a + b, 0),
      0,
    );

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      accessToken: TOKEN,
      portalId: PORTAL_ID,
      lifecycleDates: 'legacy',
      requestsPer10s: 0,
      dailyLimit: 0,
    });
  });
  afterAll(async () => {
    await sandbox?.close();
    for (const used of prefixes) await deleteKeys(TEST_REDIS_URL, used);
    redis.disconnect();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('detects a portal that was not set up through its token, and writes the project and the profile', async () => {
    const dir = await outDir();
    const keys = prefix();
    const result = await cli(
      ['--out', dir, '--public-url', 'https://closeloop.example.com/', '--profile', 'staging'],
      { HUBSPOT_ACCESS_TOKEN: TOKEN, HUBSPOT_BASE_URL: sandbox.url, REDIS_PREFIX: keys },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`portal ${PORTAL_ID}, detected with HUBSPOT_ACCESS_TOKEN`);
    expect(result.stdout).toContain('hs project upload --profile staging');
    const properties = await subscribedProperties(dir);
    // The sandbox runs as an older portal: only legacy entry-date properties exist.
    expect(properties).toContain('contact.hs_lifecyclestage_marketingqualifiedlead_date');
    expect(properties.filter((name) => name.includes('hs_v2_date_entered_'))).toEqual([]);
    expect((await readdir(join(dir, 'src'))).sort()).toEqual(['app', 'hsprofile.staging.json']);
    expect(JSON.parse(await readFile(join(dir, 'src/hsprofile.staging.json'), 'utf8'))).toEqual({
      accountId: PORTAL_ID,
      variables: { CLOSELOOP_BASE_URL: 'https://closeloop.example.com' },
    });
    // Detection only reads: storing the portal is setup's job.
    expect(await loadPortalSettings(redis, keys)).toBeUndefined();
  });

  it('takes what setup stored, without calling HubSpot, and keeps the rest of an existing profile', async () => {
    const keys = prefix();
    const portal: PortalSettings = {
      portalId: 7_654_321,
      timeZone: 'Europe/Paris',
      currency: 'EUR',
      uiDomain: 'app-eu1.hubspot.com',
      stageOrder: ['lead', '98765', 'opportunity', 'customer'],
      stageDateProperties: {
        lead: 'hs_v2_date_entered_lead',
        '98765': 'hs_v2_date_entered_98765',
        opportunity: 'hs_lifecyclestage_opportunity_date',
      },
      pipelines: [{ id: 'default', label: 'Sales' }],
    };
    await savePortalSettings(redis, keys, portal);
    const dir = await outDir();
    const profile = join(dir, 'src/hsprofile.production.json');
    await runHubSpotProject({ out: dir, defaultPortal: true }, {}, () => {});
    await writeFile(profile, JSON.stringify({ accountId: 1, variables: { OTHER: 'kept' } }));
    const env = {
      HUBSPOT_ACCESS_TOKEN: TOKEN,
      HUBSPOT_BASE_URL: sandbox.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: keys,
      CAMPAIGN_PROPERTIES: 'utm_campaign',
      LEAD_DATE_PROPERTY: 'became_lead_at',
    };
    const lines: string[] = [];
    const calls = hubspotCalls();
    await runHubSpotProject({ out: dir, publicUrl: 'https://c.example.com/closeloop' }, env, (line) =>
      lines.push(line),
    );
    expect(hubspotCalls()).toBe(calls);
    expect(lines[0]).toBe('lifecycle stage dates from portal 7654321 as `closeloop setup` detected it');
    expect(lines.filter((line) => line.startsWith('updated '))).toHaveLength(2);
    expect(lines.some((line) => /^unchanged .*hsproject\.json$/.test(line))).toBe(true);
    expect(await subscribedProperties(dir)).toEqual(
      expect.arrayContaining([
        'contact.utm_campaign',
        'contact.became_lead_at',
        'contact.hs_v2_date_entered_98765',
        'contact.hs_lifecyclestage_opportunity_date',
      ]),
    );
    expect(await subscribedProperties(dir)).not.toContain('contact.hs_v2_date_entered_customer');
    expect(JSON.parse(await readFile(profile, 'utf8'))).toEqual({
      accountId: 7_654_321,
      variables: { OTHER: 'kept', CLOSELOOP_BASE_URL: 'https://c.example.com/closeloop' },
    });
    await expect(
      runHubSpotProject({ out: dir, publicUrl: 'https://c.example.com', accountId: '5' }, env, () => {}),
    ).rejects.toThrow('--account-id 5 is not the portal closeloop knows (7654321)');
  });

  it('with neither a stored portal nor a token, says what to do and exits non-zero', async () => {
    const dir = await outDir();
    const result = await cli(['--out', dir, '--public-url', 'https://closeloop.example.com'], {
      REDIS_PREFIX: prefix(),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('`closeloop setup` has not run against this Redis');
    expect(result.stderr).toContain('--default-portal');
    expect(await readdir(dir)).toEqual([]);
  });

  it('rejects a URL HubSpot would not call', async () => {
    const result = await cli(['--default-portal', '--public-url', 'http://closeloop.example.com'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--public-url: must be an https:// URL');
  });

  it('lists the subscriptions for a legacy private app and writes nothing', async () => {
    const dir = await outDir();
    const result = await cli(
      ['--out', dir, '--default-portal', '--list-subscriptions', '--public-url', 'https://c.example.com'],
      {},
    );
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContain('Target URL: https://c.example.com/webhooks/hubspot');
    expect(lines).toContain('  contact.privacyDeletion');
    expect(lines).toContain('  contact.propertyChange hs_v2_date_entered_opportunity');
    expect(lines).toContain('  deal.propertyChange dealstage');
    expect(await readdir(dir)).toEqual([]);
  });
});

import pc from 'picocolors';
import type { Config } from '../config.ts';
import { loadConfig } from '../config.ts';
import { type Check, worstOf } from '../core/doctor-verdicts.ts';
import { ConfigError } from '../errors.ts';
import { createHubSpotHttp } from '../hubspot/http.ts';
import type { RateBudget } from '../hubspot/rate-budget.ts';
import { connectRedis, waitForRedis } from '../redis.ts';
import { loadPortalSettings } from '../store/portal-state.ts';
import { hubspotChecks } from './doctor-hubspot.ts';
import { redisChecks } from './doctor-redis.ts';
import { publicUrlCheck, queueChecks, reconcileChecks } from './doctor-runtime.ts';

const REQUIRED = ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_CLIENT_SECRET', 'PUBLIC_BASE_URL'] as const;

// Doctor makes about fifteen calls and must work while Redis is down, so it does not take slots
// from the shared budget; a 429 still stops it with HubSpot's own error.
const UNMETERED: RateBudget = {
  acquire: async () => {},
  pause: async () => {},
  pauseUntilReset: async () => {},
};

function configChecks(env: NodeJS.ProcessEnv): { config?: Config; checks: Check[] } {
  try {
    const config = loadConfig(env);
    const missing = REQUIRED.filter((name) => !env[name]?.trim());
    const checks: Check[] = missing.map((name) => ({
      section: 'config',
      name,
      status: 'fail',
      detail: 'not set',
      fix: `set ${name} (see the configuration table in README.md)`,
    }));
    if (missing.length === 0)
      checks.push({ section: 'config', name: 'settings', status: 'ok', detail: 'valid' });
    return { config, checks };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return {
      checks: error.problems.map((problem) => ({
        section: 'config',
        name: 'settings',
        status: 'fail',
        detail: problem,
        fix: 'correct the variable (see the configuration table in README.md)',
      })),
    };
  }
}

/** A failed probe is a failed check, never a crash: doctor reports everything it can. */
async function guarded(
  section: Check['section'],
  name: string,
  run: () => Promise<Check[]>,
): Promise<Check[]> {
  try {
    return await run();
  } catch (error) {
    const detail = (error as Error).message;
    return [
      { section, name, status: 'fail', detail, fix: 'see the message; run doctor again once it is fixed' },
    ];
  }
}

/**
 * `closeloop doctor`: every check an installation needs to work, each with a fix. Never changes
 * anything in HubSpot or Redis.
 */
export async function runDoctor(env: NodeJS.ProcessEnv, now: () => number = Date.now): Promise<Check[]> {
  const { config, checks } = configChecks(env);
  if (!config) return checks;
  const redis = connectRedis(config.redis, 'cli');
  redis.on('error', () => undefined);
  try {
    const reachable = await waitForRedis(redis, 3000).then(
      () => true,
      (error: unknown) => {
        checks.push({
          section: 'redis',
          name: 'reachable',
          status: 'fail',
          detail: (error as Error).message,
          fix: 'check REDIS_URL and that Redis runs',
        });
        return false;
      },
    );
    const stored = reachable ? await loadPortalSettings(redis, config.redis.prefix) : null;
    if (reachable) checks.push(...(await guarded('redis', 'redis', () => redisChecks(redis, now))));
    if (config.hubspot.accessToken) {
      const http = createHubSpotHttp({
        accessToken: config.hubspot.accessToken,
        baseUrl: config.hubspot.baseUrl,
        budget: UNMETERED,
        searchBudget: UNMETERED,
        dailyResetAt: () => now() + 86_400_000,
        timeoutMs: 10_000,
      });
      checks.push(...(await guarded('hubspot', 'HubSpot', () => hubspotChecks(http, config, stored, now))));
    }
    checks.push(await publicUrlCheck(config.publicBaseUrl));
    if (reachable) {
      checks.push(
        ...(await guarded('runtime', 'queues', () => queueChecks(redis, config.redis.prefix, now))),
      );
      checks.push(
        ...(await guarded('runtime', 'reconcile', () =>
          reconcileChecks(redis, config, stored?.portalId, now),
        )),
      );
    }
    return checks;
  } finally {
    redis.disconnect();
  }
}

const SECTIONS: Record<Check['section'], string> = {
  config: 'Configuration',
  hubspot: 'HubSpot',
  redis: 'Redis',
  runtime: 'Running',
};

/** The checklist for a terminal (coloured when `colour`), failures with their fixes, and a summary. */
export function formatChecks(checks: readonly Check[], colour: boolean): string {
  const paint = colour ? pc : { green: String, yellow: String, red: String, bold: String, dim: String };
  const mark = { ok: paint.green('✓'), warn: paint.yellow('!'), fail: paint.red('✗') };
  const lines: string[] = [];
  for (const section of Object.keys(SECTIONS) as Check['section'][]) {
    const own = checks.filter((check) => check.section === section);
    if (own.length === 0) continue;
    lines.push(paint.bold(SECTIONS[section]));
    for (const check of own) {
      lines.push(`  ${mark[check.status]} ${check.name}: ${check.detail}`);
      if (check.fix && check.status !== 'ok') lines.push(paint.dim(`      fix: ${check.fix}`));
    }
  }
  const count = (status: Check['status']) => checks.filter((check) => check.status === status).length;
  lines.push('', `${count('fail')} failed, ${count('warn')} warnings, ${count('ok')} passed`);
  if (worstOf(checks) === 'fail')
    lines.push('closeloop is not ready: fix what failed, then run doctor again.');
  return lines.join('\n');
}

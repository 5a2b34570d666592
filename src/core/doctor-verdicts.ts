/**
 * What `closeloop doctor` concludes from what it measured: pure, so every threshold is tested
 * with tables. Each failure says how to fix it.
 */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  readonly section: 'config' | 'hubspot' | 'redis' | 'runtime';
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
  readonly fix?: string;
}

/** BullMQ is fully compliant from Redis 6.2.0 on. */
const MIN_REDIS = [6, 2, 0] as const;
/** Signatures allow 5 minutes of skew; a minute already means the clock is not kept by NTP. */
export const CLOCK_WARN_MS = 10_000;
export const CLOCK_FAIL_MS = 60_000;
/** A job waiting this long means workers are missing or overwhelmed. */
export const BACKLOG_WARN_S = 5 * 60;
export const BACKLOG_FAIL_S = 30 * 60;

const check = (section: Check['section'], name: string) => ({
  ok: (detail: string): Check => ({ section, name, status: 'ok', detail }),
  warn: (detail: string, fix: string): Check => ({ section, name, status: 'warn', detail, fix }),
  fail: (detail: string, fix: string): Check => ({ section, name, status: 'fail', detail, fix }),
});

export function redisVersionVerdict(version: string): Check {
  const c = check('redis', 'version');
  const parts = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const older = MIN_REDIS.findIndex((min, i) => (parts[i] ?? 0) !== min);
  const tooOld = older >= 0 && (parts[older] ?? 0) < (MIN_REDIS[older] ?? 0);
  return tooOld
    ? c.fail(`Redis ${version}`, `upgrade to Redis ${MIN_REDIS.join('.')} or newer (BullMQ needs it)`)
    : c.ok(`Redis ${version}`);
}

export function persistenceVerdict(aofEnabled: boolean): Check {
  const c = check('redis', 'persistence');
  return aofEnabled
    ? c.ok('append-only file on')
    : c.fail(
        'no append-only file: a restart loses queued work and values waiting to be written',
        'set `appendonly yes` (see infra/redis.conf) or use a managed Redis with AOF persistence',
      );
}

export function evictionVerdict(policy: string | undefined): Check {
  const c = check('redis', 'maxmemory-policy');
  if (policy === undefined)
    return c.warn('could not be read', 'make sure the policy is `noeviction` (CONFIG GET maxmemory-policy)');
  return policy === 'noeviction'
    ? c.ok('noeviction')
    : c.fail(
        `${policy}: Redis may delete jobs and projection keys when memory runs out`,
        'set `maxmemory-policy noeviction` (see infra/redis.conf)',
      );
}

/** `skewMs`: the other clock minus this machine's, in ms (positive: this machine is behind). */
export function clockVerdict(other: 'HubSpot' | 'Redis', skewMs: number | undefined): Check {
  const c = check('runtime', `clock against ${other}`);
  if (skewMs === undefined) return c.warn(`${other}'s clock could not be read`, 'run doctor again');
  const seconds = Math.round(Math.abs(skewMs) / 100) / 10;
  const side = skewMs > 0 ? 'behind' : 'ahead of';
  const detail =
    seconds === 0 ? `this machine is in step with ${other}` : `this machine is ${seconds} s ${side} ${other}`;
  const fix = "synchronise this machine's clock (NTP: timedatectl set-ntp true, or chrony)";
  if (Math.abs(skewMs) > CLOCK_FAIL_MS) return c.fail(`${detail}: webhook signatures may be refused`, fix);
  if (Math.abs(skewMs) > CLOCK_WARN_MS) return c.warn(detail, fix);
  return c.ok(detail);
}

export function backlogVerdict(queue: string, waiting: number, oldestWaitingS: number): Check {
  const c = check('runtime', `queue ${queue}`);
  const detail = `${waiting} waiting, oldest ${Math.round(oldestWaitingS)} s`;
  const fix = 'start more `closeloop work` processes, or look at their logs for errors';
  if (oldestWaitingS > BACKLOG_FAIL_S) return c.fail(detail, fix);
  if (oldestWaitingS > BACKLOG_WARN_S) return c.warn(detail, fix);
  return c.ok(detail);
}

export function failedJobsVerdict(queue: string, failed: number): Check {
  const c = check('runtime', `failed jobs in ${queue}`);
  return failed === 0
    ? c.ok('none')
    : c.warn(
        `${failed} failed for good`,
        'read their errors at /admin/queues (or in the logs), fix the cause, then retry them there',
      );
}

export function workersVerdict(connected: number | undefined): Check {
  const c = check('runtime', 'workers');
  if (connected === undefined)
    return c.warn(
      'could not list connected workers (CLIENT LIST refused)',
      'check that `closeloop work` runs',
    );
  return connected > 0
    ? c.ok(`${connected} worker connection${connected === 1 ? '' : 's'}`)
    : c.fail(
        'no `closeloop work` process is connected: nothing is synced or written back',
        'start `closeloop work`',
      );
}

export interface DailyBudgetFacts {
  readonly limit: number;
  readonly remaining: number;
  /** Calls kept for live work. */
  readonly reserve: number;
  /** When the day resets, epoch ms. */
  readonly resetsAt: number;
}

export function dailyBudgetVerdict(facts: DailyBudgetFacts | undefined): Check {
  const c = check('hubspot', 'daily API budget');
  if (!facts) return c.warn('HubSpot reported no daily budget', 'run doctor again after a HubSpot call');
  const { limit, remaining, reserve, resetsAt } = facts;
  const detail = `${remaining.toLocaleString('en')} of ${limit.toLocaleString('en')} calls left today`;
  const reset = new Date(resetsAt).toISOString();
  const fix = `wait for the reset at ${reset}, or buy HubSpot's API limit increase`;
  if (remaining === 0) return c.fail(`${detail}: every call waits for the reset`, fix);
  if (remaining <= reserve) return c.warn(`${detail}: reconcile and backfill wait for the reset`, fix);
  return c.ok(detail);
}

/** What a probe call said about a scope: granted, refused for a missing scope, or not tried. */
export type ScopeProbe = 'granted' | 'missing' | 'untested';

export function scopeVerdict(scope: string, why: string, probe: ScopeProbe, required: boolean): Check {
  const c = check('hubspot', `scope ${scope}`);
  const fix = `add ${scope} to the app's scopes (infra/hubspot app-hsmeta.json), upload, reinstall, and use the new token`;
  if (probe === 'granted') return c.ok(why);
  if (probe === 'untested')
    return c.warn(`not tested: ${why}`, 'run doctor again once the portal has data to test it on');
  return required ? c.fail(`missing: ${why}`, fix) : c.warn(`missing (optional): ${why}`, fix);
}

export function worstOf(checks: readonly Check[]): CheckStatus {
  if (checks.some((item) => item.status === 'fail')) return 'fail';
  return checks.some((item) => item.status === 'warn') ? 'warn' : 'ok';
}

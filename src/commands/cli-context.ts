import type { Redis } from 'ioredis';
import { type Config, loadConfig, type RequiredSetting } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { connectHubSpot } from '../hubspot/connect.ts';
import type { HubSpotHttp } from '../hubspot/http.ts';
import { createLogger, type Logger } from '../logger.ts';
import { connectRedis, waitForRedis } from '../redis.ts';
import { loadPortalSettings } from '../store/portal-state.ts';

/** A verb's logger, which never writes the configured token, client secret or dashboard token. */
export function loggerFor(config: Config, name: string): Logger {
  const secrets = [config.hubspot.accessToken, config.hubspot.clientSecret, config.dashboardToken];
  return createLogger({ level: config.logLevel, name, secrets });
}

/** Config for a verb, or a list of every problem on stderr and exit code 2. */
export function configFor(required: readonly RequiredSetting[]) {
  try {
    return loadConfig(process.env, required);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nSee the configuration table in README.md.\n`);
    process.exit(2);
  }
}

/** A CLI verb's Redis and HubSpot connections, closed when it is done. */
export async function withHubSpot(
  config: Config,
  run: (redis: Redis, http: HubSpotHttp) => Promise<void>,
): Promise<void> {
  const redis = connectRedis(config.redis, 'cli');
  try {
    await waitForRedis(redis, 5000);
    const portal = await loadPortalSettings(redis, config.redis.prefix);
    await run(
      redis,
      connectHubSpot(config, redis, () => portal?.timeZone ?? 'UTC'),
    );
  } finally {
    redis.disconnect();
  }
}

/** Runs until SIGTERM/SIGINT, then closes cleanly and exits 0. */
export function untilSignal(close: () => Promise<void>, onError: (error: unknown) => void): void {
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        onError(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** A verb that needs only Redis; its failure is one line on stderr and exit code 1. */
export async function withRedis(config: Config, run: (redis: Redis) => Promise<void>): Promise<void> {
  const redis = connectRedis(config.redis, 'cli');
  try {
    await waitForRedis(redis, 5000);
    await run(redis);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    redis.disconnect();
  }
}

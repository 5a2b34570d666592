import { type Config, loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/logger.ts';
import { type RunningServer, startServer } from '../../../src/serve.ts';
import { TEST_REDIS_URL } from '../../support/redis.ts';

export const DASHBOARD_TOKEN = 'security-dashboard-token-7c21e9';
export const CLIENT_SECRET = 'security-client-secret-52d8';
/** Deliberately not the address the tests call, as behind a proxy; https, so cookies are Secure. */
export const PUBLIC_BASE_URL = 'https://closeloop.example.com';

export interface ServedForTest {
  readonly server: RunningServer;
  readonly config: Config & { publicBaseUrl: string; hubspot: Config['hubspot'] & { clientSecret: string } };
}

/** `serve` in this process on the shared test Redis, with the dashboard token and a client secret set. */
export async function serveForTest(prefix: string): Promise<ServedForTest> {
  const config = loadConfig({
    HUBSPOT_CLIENT_SECRET: CLIENT_SECRET,
    PUBLIC_BASE_URL,
    DASHBOARD_TOKEN,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    PORT: '0',
  });
  const server = await startServer(config, createLogger({ level: 'silent' }));
  return {
    server,
    config: {
      ...config,
      publicBaseUrl: PUBLIC_BASE_URL,
      hubspot: { ...config.hubspot, clientSecret: CLIENT_SECRET },
    },
  };
}

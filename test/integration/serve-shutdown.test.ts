import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { startServer } from '../../src/serve.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';

describe('serve shutdown', () => {
  it('closes while a dashboard holds an event stream open', async () => {
    const prefix = uniquePrefix(import.meta.filename);
    const config = loadConfig({
      HUBSPOT_CLIENT_SECRET: 'shutdown-secret-1234',
      PUBLIC_BASE_URL: 'http://127.0.0.1',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      PORT: '0',
    });
    const server = await startServer(config, createLogger({ level: 'silent' }));
    const stream = await fetch(`${server.url}/api/events`);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const reader = stream.body?.getReader();
    await reader?.read();
    // Before the fix this waited for the stream forever (the test timeout would fail it).
    await server.close();
    const rest = await reader?.read().catch(() => ({ done: true }));
    expect(rest?.done).toBe(true);
    await deleteKeys(TEST_REDIS_URL, prefix);
  });
});

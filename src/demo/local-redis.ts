import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface DemoRedis {
  readonly url: string;
  readonly source: 'REDIS_URL' | 'local' | 'started';
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}

/**
 * Redis for the demo: REDIS_URL if set, else a local one on 6379 if it answers, else a
 * redis-server from PATH on a free port in a temporary folder (stopped with the demo).
 */
export async function demoRedis(env: NodeJS.ProcessEnv): Promise<DemoRedis> {
  const none = async () => undefined;
  if (env.REDIS_URL) return { url: env.REDIS_URL, source: 'REDIS_URL', stop: none };
  if (await answers('redis://127.0.0.1:6379'))
    return { url: 'redis://127.0.0.1:6379', source: 'local', stop: none };
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'closeloop-demo-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const failed = new Promise<boolean>((resolve) => child.once('error', () => resolve(true)));
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    if (
      await Promise.race([failed, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 100))])
    )
      break;
    if (await answers(url)) {
      const stop = async () => {
        child.kill('SIGTERM');
        rmSync(dir, { recursive: true, force: true });
      };
      return { url, source: 'started', stop };
    }
  }
  child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  throw new Error(
    'The demo needs Redis. Set REDIS_URL, start Redis on 127.0.0.1:6379, or install redis-server ' +
      '(Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) so the demo can start one.',
  );
}

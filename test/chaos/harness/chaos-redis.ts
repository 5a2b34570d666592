import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../support/private-redis.ts';

/**
 * A redis-server of the suite's own, on a private port, set up as production should be (AOF,
 * `appendfsync everysec`, `noeviction`), that a scenario may kill, restart, pause and resume.
 * Faults are only ever injected here, never into the machine's shared Redis.
 */
export interface ChaosRedis {
  readonly url: string;
  readonly port: number;
  readonly pid: () => number;
  /** SIGKILL: no shutdown, no last fsync; the kernel keeps what was already written to the AOF. */
  kill9(): Promise<void>;
  /** Starts again on the same port from the same directory (replaying the AOF). */
  restart(): Promise<void>;
  pause(): void;
  resume(): void;
  /** Bytes in the AOF's current incremental file (what a restart replays after the base). */
  aofTailSize(): number;
  /** Cuts the incremental AOF back to `bytes`, as a host crash loses writes not yet fsynced. */
  truncateAofTail(bytes: number): void;
  usedMemory(): Promise<number>;
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    // PING answers LOADING while the AOF replays; only a served command means ready.
    await probe.get('chaos:probe');
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

async function waitUntilServing(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    if (await answers(url)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server at ${url} did not start`);
}

function incrFile(dir: string): string {
  const manifest = readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'utf8');
  const line = manifest.split('\n').find((entry) => / type i\b/.test(entry));
  const name = line?.match(/^file (\S+)/)?.[1];
  if (!name) throw new Error(`no incremental AOF in the manifest:\n${manifest}`);
  return join(dir, 'appendonlydir', name);
}

export async function startChaosRedis(extraArgs: readonly string[] = []): Promise<ChaosRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'closeloop-chaos-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const args = [
    ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''],
    ...['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction'],
    // No automatic rewrite: a scenario that cuts the AOF back needs one incremental file to cut.
    ...['--auto-aof-rewrite-percentage', '0'],
    ...extraArgs,
  ];
  const launch = async () => {
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    await waitUntilServing(url, child);
    return child;
  };
  let child = await launch();
  const killed = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
  };
  return {
    url,
    port,
    pid: () => child.pid ?? 0,
    kill9: killed,
    async restart() {
      await killed();
      child = await launch();
    },
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    aofTailSize: () => statSync(incrFile(dir)).size,
    truncateAofTail: (bytes) => truncateSync(incrFile(dir), bytes),
    async usedMemory() {
      const client = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        const info = await client.info('memory');
        return Number(info.match(/^used_memory:(\d+)/m)?.[1] ?? Number.NaN);
      } finally {
        client.disconnect();
      }
    },
    async stop() {
      await killed();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

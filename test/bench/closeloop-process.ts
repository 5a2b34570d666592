import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * A real `closeloop serve` or `closeloop work` child process (`node src/cli.ts …`), the way an
 * operator runs them, with the CPU time the kernel has charged it so far.
 */
export interface CloseloopProcess {
  readonly pid: number;
  /** Where its HTTP server answers (`serve`'s PORT, `work`'s WORK_PORT). */
  readonly url: string;
  /** User + system CPU seconds so far, from /proc (Linux). */
  cpuSeconds(): number;
  /** Requests it has answered with an error so far (`serve`: webhook deliveries HubSpot must retry). */
  erroredRequests(): number;
  stop(): Promise<void>;
}

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
const logLineSchema = z.object({
  level: z.number(),
  msg: z.string().optional(),
  port: z.number().optional(),
});

function logLine(line: string) {
  try {
    return logLineSchema.safeParse(JSON.parse(line)).data;
  } catch {
    return undefined;
  }
}

export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): state is 3rd, utime 14th, stime 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

async function waitUntilAnswering(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`closeloop exited with ${child.exitCode} before answering`);
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`closeloop at ${url} did not become ready`);
}

/**
 * Reads the process's log (pino JSON on stdout) to its end: counts requests answered with an
 * error, passes other warnings and errors on, and resolves with the port `work` logs once it
 * listens (WORK_PORT=0 picks a free one).
 */
function watchLog(child: ChildProcess, verb: string, onErrored: () => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NonNullable<ChildProcess['stdout']> });
    child.once('exit', (code) => reject(new Error(`closeloop ${verb} exited with ${code} before listening`)));
    lines.on('line', (line) => {
      const parsed = logLine(line);
      if (!parsed) return;
      if (parsed.msg === 'closeloop workers started' && parsed.port) resolve(parsed.port);
      if (parsed.msg === 'request errored') onErrored();
      else if (parsed.level >= 40) process.stderr.write(`closeloop ${verb}: ${parsed.msg ?? line}\n`);
    });
  });
}

export async function startCloseloop(
  verb: 'serve' | 'work',
  env: Record<string, string>,
): Promise<CloseloopProcess> {
  const child = spawn(process.execPath, [CLI, verb], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`closeloop ${verb} did not start`);
  let errored = 0;
  const logged = watchLog(child, verb, () => errored++);
  const port = verb === 'work' ? await logged : Number(env.PORT);
  // Serve's port is known: its log is only read (an exit before it answers is caught below).
  logged.catch(() => undefined);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(url, child);
  return {
    pid,
    url,
    cpuSeconds: () => cpuSecondsOf(pid),
    erroredRequests: () => errored,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

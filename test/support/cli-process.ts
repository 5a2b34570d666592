import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Enough of the end of a process's log to explain a failure, without keeping a load test's whole log.
const KEPT_OUTPUT = 20_000;

/** A real `closeloop` process (`node src/cli.ts <verb>`), as an operator runs it. */
export interface CliProcess {
  readonly child: ChildProcess;
  /** The exit code; null when a signal ended it without a handler. */
  readonly exited: Promise<number | null>;
  /** The end of its stdout and stderr, for failure messages. */
  output(): string;
  running(): boolean;
  /** SIGKILL if still running; resolves once it is gone. For cleanup, never for the test itself. */
  kill(): Promise<void>;
}

export function spawnCli(verb: 'serve' | 'work', env: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, ['src/cli.ts', verb], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + String(chunk)).slice(-KEPT_OUTPUT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let done = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      done = true;
      resolve(code);
    }),
  );
  return {
    child,
    exited,
    output: () => output,
    running: () => !done,
    async kill() {
      if (!done) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Polls a probe until it answers 200; throws with the process's output if the process exits first. */
export async function waitUntilReady(url: string, cli: CliProcess): Promise<void> {
  for (;;) {
    if (!cli.running()) throw new Error(`process exited before ${url} answered:\n${cli.output()}`);
    const status = await fetch(url).then(
      async (response) => {
        await response.arrayBuffer();
        return response.status;
      },
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

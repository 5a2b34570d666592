import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface Logged {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output: string;
}

const alive = (logged: Logged) => logged.child.exitCode === null && logged.child.signalCode === null;

/**
 * Real `closeloop` processes whose every byte of stdout and stderr is kept (the logs they would
 * ship), named so a finding says which process wrote it.
 */
export function loggedProcesses() {
  const processes = new Map<string, Logged>();

  function start(name: string, args: readonly string[], env: Record<string, string>): Logged {
    const child = spawn(process.execPath, ['src/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const logged: Logged = { child, exited, output: '' };
    const collect = (chunk: Buffer) => {
      logged.output += chunk.toString('utf8');
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    if (processes.has(name)) throw new Error(`a process named ${name} already ran`);
    processes.set(name, logged);
    return logged;
  }

  return {
    /** A verb that finishes by itself (setup, doctor): its exit code and output. */
    async run(name: string, args: readonly string[], env: Record<string, string>) {
      const logged = start(name, args, env);
      return { code: await logged.exited, output: () => logged.output };
    },
    /** A verb that runs until told to stop (serve, work). */
    spawn(name: string, args: readonly string[], env: Record<string, string>) {
      const logged = start(name, args, env);
      return {
        output: () => logged.output,
        running: () => alive(logged),
        /** SIGTERM, as an orchestrator stops it; resolves with the exit code. */
        async stop() {
          if (alive(logged)) logged.child.kill('SIGTERM');
          return logged.exited;
        },
      };
    },
    /** Everything each process wrote, by name. */
    outputs: () => new Map([...processes].map(([name, logged]) => [name, logged.output])),
    /** Cleanup only: kills whatever still runs. */
    async killAll() {
      for (const logged of processes.values()) if (alive(logged)) logged.child.kill('SIGKILL');
      await Promise.all([...processes.values()].map((logged) => logged.exited));
    },
  };
}

/** Polls a URL until it answers 200; fails with the process's output if it exits first. */
export async function untilReady(url: string, process: { running(): boolean; output(): string }) {
  for (;;) {
    if (!process.running()) throw new Error(`exited before ${url} answered:\n${process.output()}`);
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

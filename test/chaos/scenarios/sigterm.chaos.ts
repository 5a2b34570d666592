import { describe } from 'vitest';
import type { StackProcess } from '../harness/chaos-stack.ts';
import { chaosScenario } from '../scenario/chaos-scenario.ts';
import { size } from '../scenario/mode.ts';
import { now, type ScenarioRun } from '../scenario/scenario-run.ts';

/** Stops one process as an orchestrator does; its exit code must be 0. */
async function terminate(run: ScenarioRun, name: string, process: StackProcess): Promise<void> {
  process.cli.child.kill('SIGTERM');
  const code = await process.cli.exited;
  if (code !== 0) run.problems.push(`${name} exited ${code} on SIGTERM:\n${process.cli.output()}`);
}

/**
 * SIGTERM to `serve` and `work` together in the middle of the changes (a rolling deploy at its
 * worst: no process left): both drain and exit 0, new ones start, and nothing is lost. HubSpot
 * retries what arrived while no `serve` listened.
 */
async function sigterm(run: ScenarioRun) {
  const { stack } = run;
  let restarted = 0;
  let restarting: Promise<void> = Promise.resolve();
  await run.operate((index) => {
    if (index !== Math.floor(size.operations / 2)) return;
    const serve = run.serve;
    const works = run.works.filter(({ cli }) => cli.running());
    restarting = (async () => {
      await Promise.all([
        terminate(run, 'serve', serve),
        ...works.map((work) => terminate(run, 'work', work)),
      ]);
      run.serve = await stack.startServe();
      run.works.push(await stack.startWork());
      restarted = now();
    })();
  });
  await restarting;
  const recoveryMs = await run.recover(restarted);
  const refused = run.live().filter((d) => d.status >= 500).length;
  run.notes.push(
    `serve and work stopped with SIGTERM (exit codes checked) and restarted; ${refused} deliveries refused meanwhile and retried by HubSpot`,
  );
  return { recoveryMs };
}

describe('SIGTERM of serve and work under load', () => {
  chaosScenario({
    name: 'SIGTERM of serve and work',
    order: 8,
    seed: 808,
    env: { SHUTDOWN_DRAIN_SECONDS: '2' },
    body: sigterm,
  });
});

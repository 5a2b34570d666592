import { describe } from 'vitest';
import { reconcileUntilQuiet } from '../harness/reconcile-rounds.ts';
import { chaosScenario } from '../scenario/chaos-scenario.ts';
import { size } from '../scenario/mode.ts';
import { now, type ScenarioRun } from '../scenario/scenario-run.ts';

/**
 * For the middle third of the changes HubSpot sends no webhook at all (nothing is retried later),
 * then delivers again. What closeloop missed shows as projection entries out of step;
 * `closeloop reconcile` (the recent sweep, then the id sweep for deletions and merges), run until
 * a round finds nothing more, repairs them all, which the standard checks then prove exactly.
 */
async function droppedWebhooks(run: ScenarioRun) {
  const { stack, notes, problems } = run;
  const third = Math.floor(size.operations / 3);
  await run.operate(undefined, third);
  await run.settle();
  const before = await run.measureLost();
  if (before.records.length > 0) problems.push(`lost before the drop: ${before.records.join(', ')}`);
  await stack.client.admin('/__sandbox/config', { webhooks: false });
  await run.operate(undefined, third);
  await stack.client.admin('/__sandbox/config', { webhooks: true });
  await run.operate(undefined, size.operations - 2 * third);
  await run.settle();
  const stale = await run.outOfStep();
  const repairing = now();
  const repair = await reconcileUntilQuiet(stack, () => run.settle());
  const recoveryMs = now() - repairing;
  notes.push(
    `${third} changes without webhooks left ${stale} projection entries out of step; ${repair.summary}`,
  );
  if (stale === 0) problems.push('dropping webhooks left nothing out of step: the scenario proved nothing');
  return { recoveryMs };
}

describe('webhooks dropped for a while, then closeloop reconcile', () => {
  chaosScenario({ name: 'webhooks dropped, then reconcile', order: 7, seed: 707, body: droppedWebhooks });
});

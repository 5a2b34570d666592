import { isDeepStrictEqual } from 'node:util';
import { now, type ScenarioOutcome, type ScenarioRun } from '../scenario/scenario-run.ts';

function writtenInputs(run: ScenarioRun): number {
  return Object.values(run.stack.sandbox.stats().writes).reduce((sum, counts) => sum + counts.inputs, 0);
}

/**
 * Deliveries duplicated (30 %, each copy in another POST) and shuffled while the portal changes;
 * once settled, every event HubSpot ever sent is sent once more. The replay must change no figure
 * and cause no write at all.
 */
export async function duplicatesShuffleReplay(run: ScenarioRun): Promise<ScenarioOutcome> {
  const { stack, notes, problems } = run;
  await stack.client.admin('/__sandbox/config', { duplicateRate: 0.3, shuffle: true });
  await run.operate();
  await stack.client.admin('/__sandbox/config', { duplicateRate: 0, shuffle: false });
  await run.settle();
  const figures = await stack.campaigns();
  const writes = writtenInputs(run);
  const sent = run.live().length;
  const replayedAt = now();
  const { replayed } = await stack.client.admin('/__sandbox/webhooks/replay', {});
  const settled = await run.settle();
  const extraWrites = writtenInputs(run) - writes;
  const replayDeliveries = run.live().length - sent;
  notes.push(`replayed ${String(replayed)} events in ${replayDeliveries} deliveries: ${extraWrites} writes`);
  if (extraWrites !== 0) problems.push(`the replay caused ${extraWrites} batch-update inputs`);
  if (!isDeepStrictEqual(await stack.campaigns(), figures))
    problems.push('the replay changed /api/campaigns');
  return { recoveryMs: settled - replayedAt };
}

import { describe } from 'vitest';
import { DASHBOARD_TOKEN } from '../harness/chaos-stack.ts';
import { callSummary, hubspotCalls } from '../harness/hubspot-calls.ts';
import { chaosScenario } from '../scenario/chaos-scenario.ts';
import { now, type ScenarioRun } from '../scenario/scenario-run.ts';

/** Every failure HubSpot answers with, a timeout (the socket held, then dropped) among them. */
const FAULTS = ['429', '423', '500', '502', '503', '504', 'timeout', '207'];
const FAIL_RATE = 0.2;

async function calls(run: ScenarioRun): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const { url } of run.works)
    for (const [status, count] of await hubspotCalls(url, DASHBOARD_TOKEN))
      counts.set(status, (counts.get(status) ?? 0) + count);
  return counts;
}

function minus(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([status, count]) => [status, count - (before.get(status) ?? 0)]));
}

/**
 * One HubSpot call in five fails, every way HubSpot fails (the portal's users hit the faults too
 * and retry), through the live changes and until settled: every write must land exactly once.
 */
async function hubspotFaults(run: ScenarioRun) {
  const { stack, notes } = run;
  const before = await calls(run);
  const usersBefore = stack.client.calls.total;
  await stack.client.admin('/__sandbox/config', { failRate: FAIL_RATE, faults: FAULTS });
  await run.operate();
  const recoveryMs = await run.recover(now());
  await stack.client.admin('/__sandbox/config', { failRate: 0 });
  const spent = callSummary(minus(await calls(run), before));
  const share = spent.total > 0 ? (100 * spent.failed) / spent.total : 0;
  notes.push(
    `closeloop made ${spent.total} HubSpot calls: ${spent.failed} (${share.toFixed(1)} %) failed outright and were made again (${spent.failures.join(', ')}), ${spent.partial} answered 207; the portal's users made ${stack.client.calls.total - usersBefore} calls`,
  );
  return { recoveryMs };
}

describe('HubSpot failing 20 % of calls with 429, 423, 5xx, timeouts and 207 partials', () => {
  chaosScenario({ name: 'HubSpot failing 20 % of calls', order: 6, seed: 606, body: hubspotFaults });
});

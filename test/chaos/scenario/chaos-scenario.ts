import { expect, it } from 'vitest';
import { SCENARIO_TIMEOUT_MS } from './mode.ts';
import { runScenario, type ScenarioDefinition } from './scenario-run.ts';

/** One scenario as one test: it fails on any problem found, after its result has been written. */
export function chaosScenario(definition: ScenarioDefinition): void {
  it(
    definition.name,
    async () => {
      const problems = await runScenario(definition);
      expect(problems).toEqual([]);
    },
    SCENARIO_TIMEOUT_MS,
  );
}

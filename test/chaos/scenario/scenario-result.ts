import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const RESULTS_DIR = fileURLToPath(new URL('../../../.cache/chaos/', import.meta.url));

/** What one scenario measured: the columns of the results table, and its own figures. */
export const scenarioResultSchema = z.object({
  order: z.number(),
  scenario: z.string(),
  mode: z.string(),
  operations: z.number(),
  /** Webhook events HubSpot sent (every attempt, duplicates and replays included). */
  eventsSent: z.number(),
  /** Events `serve` acknowledged whose change closeloop never reflected (before any repair). */
  lost: z.number(),
  /** Batch-update inputs that changed no visible value (a write HubSpot already had). */
  duplicatedWrites: z.number(),
  /** From the end of the fault to settled, in ms (null: the scenario has no fault end). */
  recoveryMs: z.number().nullable(),
  notes: z.array(z.string()),
  finishedAt: z.string(),
});
export type ScenarioResult = z.infer<typeof scenarioResultSchema>;

export function writeResult(result: ScenarioResult): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const name = result.scenario.replace(/\W+/g, '-').toLowerCase();
  writeFileSync(`${RESULTS_DIR}${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
}

export function readResults(): ScenarioResult[] {
  let files: string[] = [];
  try {
    files = readdirSync(RESULTS_DIR).filter((file) => file.endsWith('.json'));
  } catch {
    return [];
  }
  return files
    .map((file) => scenarioResultSchema.parse(JSON.parse(readFileSync(`${RESULTS_DIR}${file}`, 'utf8'))))
    .sort((a, b) => a.order - b.order);
}

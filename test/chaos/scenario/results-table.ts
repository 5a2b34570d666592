import type { ScenarioResult } from './scenario-result.ts';

const seconds = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);
const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** One row per scenario: events sent, lost, duplicated writes, recovery time, notes. */
export function resultsTable(results: readonly ScenarioResult[]): string {
  const rows = [
    '| scenario | operations | events sent | lost | duplicated writes | recovery | notes |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const notes = r.notes.map(cell).join('; ');
    rows.push(
      `| ${cell(r.scenario)} | ${r.operations} | ${r.eventsSent} | ${r.lost} | ${r.duplicatedWrites} | ${seconds(r.recoveryMs)} | ${notes} |`,
    );
  }
  return rows.join('\n');
}

export function scenariosSection(results: readonly ScenarioResult[], machine: string): string {
  const finished = results.map((r) => r.finishedAt).sort();
  return [
    '## Scenarios',
    '',
    `Last full run: ${finished[finished.length - 1]?.slice(0, 10) ?? '—'}, ${machine}.`,
    '',
    resultsTable(results),
    '',
    '- **events sent**: webhook events the sandbox delivered to `serve` after the portal was set up,',
    '  every attempt counted (duplicates, retries and replays included).',
    '- **lost**: records an acknowledged (2xx) delivery named whose change closeloop never reflected,',
    '  found by comparing its projection with a rebuild from HubSpot before any repair.',
    '- **duplicated writes**: batch-update inputs that changed no visible value (the sandbox counts',
    '  inputs that changed nothing, or only `closeloop_scored_at`).',
    '- **recovery**: from the end of the fault to settled (webhooks delivered, every queue, pending set',
    '  and outbox empty), measured with a 200 ms poll that needs three quiet checks in a row.',
  ].join('\n');
}

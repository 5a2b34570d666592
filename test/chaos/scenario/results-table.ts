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

const AOF_WINDOW = [
  '### The Redis AOF window',
  '',
  'With `appendonly yes` and `appendfsync everysec`, a `kill -9` of `redis-server` alone loses nothing:',
  'what Redis wrote to its AOF before it answered is in the kernel and survives the process. When the',
  'machine itself dies, the writes of the last second (not yet fsynced) are gone: webhooks acknowledged',
  'in that second (their jobs and dedupe marks) and whatever closeloop did meanwhile, which it redoes.',
  'The scenario cuts the AOF back to its size one second before the kill, the worst `everysec` allows,',
  'and counts what was lost: every lost record had an acknowledgement inside that second, none before.',
  'To close the window, run Redis with `appendfsync always` (every write on disk before the 204, at',
  'the cost of an fsync per write); or keep `everysec` and let reconcile repair the rest, as the',
  'scenario does: `closeloop reconcile` and `closeloop reconcile --ids` after a host crash (the',
  'scheduled sweeps do the same within `RECONCILE_INTERVAL_MINUTES` and `RECONCILE_ID_SWEEP_HOURS`).',
].join('\n');

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
    '- **lost**: records whose projection entry differs from a rebuild from HubSpot, before any repair,',
    '  though an acknowledged (2xx) delivery named them or a record linked to them.',
    '- **duplicated writes**: batch-update inputs that changed no visible value (the sandbox counts',
    '  inputs that changed nothing, or only `closeloop_scored_at`).',
    '- **recovery**: from the end of the fault (or of the changes, if they went on longer) to settled:',
    '  webhooks delivered, every queue, pending set and outbox empty, three quiet 200 ms polls in a row.',
    '- Every scenario then passed the same checks: no failed job, the SQL oracle equal to the API and to',
    '  every value written into HubSpot, and a clean `setup` + `backfill` giving the same projection,',
    '  campaign figures and values.',
    '',
    AOF_WINDOW,
  ].join('\n');
}

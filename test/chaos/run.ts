import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { resultsFile, sectionsOf } from '../bench/results-file.ts';
import { resultsTable, scenariosSection } from './scenario/results-table.ts';
import { RESULTS_DIR, readResults } from './scenario/scenario-result.ts';
import { readSoakResult, soakSection } from './soak/soak-result.ts';

/**
 * `npm run test:chaos [-- --quick | --soak] [vitest filters…]`: the scenarios one file at a time
 * (or the soak), the results table printed at the end; a full run rewrites the scenarios section
 * of RESULTS.md and a soak run its soak section. Vitest's JSON report goes to
 * `.cache/chaos-vitest.json` for CI to count.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
const args = process.argv.slice(2);
const mode = args.includes('--soak') ? 'soak' : args.includes('--quick') ? 'quick' : 'full';
const filters = args.filter((arg) => arg !== '--soak' && arg !== '--quick');
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}`;

function vitest(): Promise<number> {
  const files = mode === 'soak' ? ['test/chaos/soak/'] : ['test/chaos/oracle/', 'test/chaos/scenarios/'];
  const cli = [
    'node_modules/vitest/vitest.mjs',
    'run',
    '--config',
    'vitest.chaos.config.ts',
    '--reporter=default',
    '--reporter=json',
    '--outputFile.json=.cache/chaos-vitest.json',
    ...(filters.length > 0 ? filters : files),
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, cli, {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, CHAOS_MODE: mode },
    });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

function updateResults(title: string, section: string): void {
  const previous = existsSync(RESULTS)
    ? sectionsOf(readFileSync(RESULTS, 'utf8'))
    : new Map<string, string>();
  previous.set(title, section);
  const preamble = [
    '# Chaos suite results',
    '',
    '`npm run test:chaos` (see the README, Operations). Each scenario runs real `closeloop serve` and',
    '`work` processes, the sandbox as HubSpot and a Redis of its own, on a seeded workload; afterwards',
    'the SQL oracle and a clean rebuild must agree with what closeloop shows and wrote, exactly.',
  ].join('\n');
  const order = ['## Scenarios', '## Soak'];
  const sections = order.flatMap((name) => (previous.has(name) ? [previous.get(name) as string] : []));
  writeFileSync(RESULTS, resultsFile(preamble, sections));
}

rmSync(RESULTS_DIR, { recursive: true, force: true });
mkdirSync(RESULTS_DIR, { recursive: true });
const code = await vitest();
if (mode === 'soak') {
  const soak = readSoakResult();
  if (soak) {
    const section = soakSection(soak, machine);
    process.stdout.write(`\n${section}\n`);
    if (filters.length === 0) updateResults('## Soak', section);
  }
} else {
  const results = readResults();
  process.stdout.write(`\n${resultsTable(results)}\n`);
  if (mode === 'full' && filters.length === 0 && results.length > 0)
    updateResults('## Scenarios', scenariosSection(results, machine));
}
process.exit(code);

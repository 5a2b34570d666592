import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { measureMemory } from './memory.ts';
import { memorySection } from './memory-section.ts';
import { processingBenchmark, writeBackBenchmark } from './pipeline-benchmarks.ts';
import { measureRecompute } from './recompute.ts';
import { recomputeSection } from './recompute-section.ts';
import { resultsFile, sectionsOf } from './results-file.ts';
import { type IngestResult, measureIngest } from './webhook-ingest.ts';
import { measureWorkScaling } from './work-scaling.ts';
import { median, summarize } from './work-scaling-report.ts';
import { workScalingSection } from './work-scaling-section.ts';

/**
 * `npm run bench [-- --quick] [-- --only webhook-ingest|work-scaling|processing|write-back|recompute|memory]`: every benchmark (or one,
 * keeping the others' last results), ratios against baselines measured in the same run.
 */
const quick = process.argv.includes('--quick');
// A quick run starts some 25 closeloop processes; Node's compile cache, which every child inherits
// from this environment, saves each about 0.3 s of compiling. It caches compiled code only: what
// the processes do, and so what is measured, stays the same.
if (quick) process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), 'closeloop-bench-compile-cache');
const BENCHMARKS = [
  'webhook-ingest',
  'work-scaling',
  'processing',
  'write-back',
  'recompute',
  'memory',
] as const;
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? undefined : z.enum(BENCHMARKS).parse(process.argv[onlyAt + 1]);
const RESULTS = new URL('./RESULTS.md', import.meta.url);

function ingestTable(results: readonly IngestResult[]): string {
  const rows = [
    '| events/delivery | receiver | req/s | events/s | p50 ms | p99 ms | CPU µs/req | p99 ms at half rate | non-2xx | req/s vs reference |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const sizes = [...new Set(results.map((result) => result.eventsPerDelivery))];
  for (const size of sizes) {
    const of = (receiver: IngestResult['receiver']) =>
      results.filter((result) => result.eventsPerDelivery === size && result.receiver === receiver);
    const reference = median(of('reference').map((result) => result.requestsPerSecond));
    for (const receiver of ['reference', 'closeloop'] as const) {
      const runs = of(receiver);
      const rps = median(runs.map((run) => run.requestsPerSecond));
      rows.push(
        `| ${size} | ${receiver} | ${rps.toFixed(0)} | ${median(runs.map((run) => run.eventsPerSecond)).toFixed(0)} | ${median(runs.map((run) => run.p50Ms))} | ${median(runs.map((run) => run.p99Ms))} | ${median(runs.map((run) => run.cpuMicrosPerRequest)).toFixed(0)} | ${median(runs.map((run) => run.halfRateP99Ms))} | ${runs.reduce((sum, run) => sum + run.non2xx, 0)} | ${(rps / reference).toFixed(2)}× |`,
      );
    }
  }
  return rows.join('\n');
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}`;

async function webhookIngest(): Promise<string> {
  const ingest = await measureIngest({
    seconds: quick ? 1 : 10,
    repetitions: 3,
    sizes: quick ? [1, 100] : [1, 10, 100],
    quickTurnaround: quick,
  });
  return ['## Webhook ingest', '', ingestTable(ingest)].join('\n');
}

async function workScaling(): Promise<string> {
  // Quick: each burst its own leads (none to move back, no warm-up) on a budget emptied, not waited for.
  const options = {
    changes: quick ? 200 : 2000,
    processes: quick ? [1, 2] : [1, 2, 4],
    repetitions: 3,
    latencyMs: 150,
    requestsPer10s: 190,
    leads: quick ? 'fresh' : 'same',
    refill: quick ? 'empty' : 'wait',
  } as const;
  const result = await measureWorkScaling(options, (line) => process.stderr.write(`${line}\n`));
  return workScalingSection({
    ...options,
    summaries: summarize(result.runs, options.changes),
    contacts: result.contacts,
    deals: result.deals,
    loadAverage: result.loadAverage,
    machine,
    cores: cpus().length,
  });
}

/** 1M contacts, 100k deals, 200 campaigns; quick: a twentieth of the contacts and deals, 50 campaigns. */
const portalSize = quick
  ? { contacts: 50_000, deals: 5_000, campaigns: 50 }
  : { contacts: 1_000_000, deals: 100_000, campaigns: 200 };
const progress = (line: string) => process.stderr.write(`${line}\n`);

async function recompute(): Promise<string> {
  const options = { ...portalSize, repetitions: 3, reads: 20, horizonDays: 180 };
  return recomputeSection(options, await measureRecompute(options, progress), machine);
}

async function memory(): Promise<string> {
  const options = { ...portalSize, repetitions: 3 };
  return memorySection(options, await measureMemory(options, progress), machine);
}

const sections: Record<(typeof BENCHMARKS)[number], { title: string; measure: () => Promise<string> }> = {
  'webhook-ingest': { title: '## Webhook ingest', measure: webhookIngest },
  'work-scaling': { title: '## Work scaling', measure: workScaling },
  processing: { title: '## Processing', measure: () => processingBenchmark(quick, machine, progress) },
  'write-back': { title: '## Write-back', measure: () => writeBackBenchmark(quick, machine, progress) },
  recompute: { title: '## Recompute', measure: recompute },
  memory: { title: '## Memory', measure: memory },
};
const previous = existsSync(RESULTS) ? sectionsOf(readFileSync(RESULTS, 'utf8')) : new Map<string, string>();
const texts: string[] = [];
for (const name of BENCHMARKS) {
  const { title, measure } = sections[name];
  const text = only === undefined || only === name ? await measure() : previous.get(title);
  if (text) texts.push(text);
}
const preamble = [
  '# closeloop benchmarks',
  '',
  `Machine: ${machine}. Mode: ${quick ? 'quick' : 'full'}. Medians of 3 interleaved repetitions.`,
].join('\n');
const report = resultsFile(preamble, texts);
process.stdout.write(report);
writeFileSync(RESULTS, report);

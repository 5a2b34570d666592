import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { type IngestResult, measureIngest } from './webhook-ingest.ts';

/** `npm run bench [-- --quick]`: every benchmark, ratios against baselines measured in the same run. */
const quick = process.argv.includes('--quick');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function ingestTable(results: readonly IngestResult[]): string {
  const rows = [
    '| events/delivery | receiver | req/s | events/s | p50 ms | p99 ms | non-2xx | req/s vs reference |',
    '|---|---|---|---|---|---|---|---|',
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
        `| ${size} | ${receiver} | ${rps.toFixed(0)} | ${median(runs.map((run) => run.eventsPerSecond)).toFixed(0)} | ${median(runs.map((run) => run.p50Ms))} | ${median(runs.map((run) => run.p99Ms))} | ${runs.reduce((sum, run) => sum + run.non2xx, 0)} | ${(rps / reference).toFixed(2)}× |`,
      );
    }
  }
  return rows.join('\n');
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}`;
const ingest = await measureIngest({
  seconds: quick ? 3 : 10,
  repetitions: 3,
  sizes: quick ? [1, 100] : [1, 10, 100],
});
const report = [
  '# closeloop benchmarks',
  '',
  `Machine: ${machine}. Mode: ${quick ? 'quick' : 'full'}. Medians of 3 interleaved repetitions.`,
  '',
  '## Webhook ingest',
  '',
  ingestTable(ingest),
  '',
].join('\n');
process.stdout.write(`${report}\n`);
writeFileSync(new URL('./RESULTS.md', import.meta.url), report);

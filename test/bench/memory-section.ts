import type { MemoryOptions, MemoryResult } from './memory.ts';
import { median } from './work-scaling-report.ts';

/** The bar: 1M contacts and 100k deals in at most 200 MB, i.e. 200 bytes per contact with its share of deals. */
const BAR_BYTES_PER_CONTACT = 200;

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** The memory benchmark's section of RESULTS.md. */
export function memorySection(options: MemoryOptions, result: MemoryResult, machine: string): string {
  const perContact = result.usedMemoryDelta / options.contacts;
  const total = result.parts.reduce((sum, part) => sum + part.bytes, 0);
  const parts = [
    '| part | keys | entries | MiB | bytes per contact | share | Redis encoding |',
    '|---|---|---|---|---|---|---|',
    ...result.parts.map(
      (part) =>
        `| ${part.part} | ${part.keys} | ${part.entries.toLocaleString('en')} | ${mib(part.bytes)} | ${(part.bytes / options.contacts).toFixed(0)} | ${((100 * part.bytes) / total).toFixed(0)} % | ${part.encoding} |`,
    ),
  ];
  const runs = result.runs;
  const peak = median(runs.map((run) => run.peakRss));
  return [
    '## Memory',
    '',
    `The projection of the recompute benchmark's synthetic portal (${options.contacts.toLocaleString('en')} contacts, ${options.deals.toLocaleString('en')} deals, ${options.campaigns} campaigns), written through closeloop's store into a Redis of the benchmark's own with default settings (hash-max-listpack-entries ${result.listpackEntries}). Machine: ${machine}.`,
    '',
    `**Redis**: used_memory grew by ${mib(result.usedMemoryDelta)} MiB: **${perContact.toFixed(0)} bytes per contact** (deals included), so 1M contacts with 100k deals take about ${perContact.toFixed(0)} MB — bar 200 MB (${BAR_BYTES_PER_CONTACT} bytes per contact): ${perContact <= BAR_BYTES_PER_CONTACT ? 'met' : '**missed**'}.`,
    '',
    ...parts,
    '',
    `**Worker**: a real \`closeloop work\` (started afresh for each of ${runs.length} runs, the score queue paused so the rescoring the statistics wake waits) running the statistics job over this projection: resident memory ${mib(median(runs.map((run) => run.idleRss)))} MiB idle, peak (VmHWM) ${runs.map((run) => mib(run.peakRss)).join(', ')} MiB, median **${mib(peak)} MiB**; the job itself took ${runs.map((run) => run.jobSeconds.toFixed(1)).join(', ')} s.`,
  ].join('\n');
}

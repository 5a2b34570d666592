import { countOf, kindOf } from './call-counts.ts';
import type { ProcessingResult } from './processing.ts';
import type { ProcessingOptions, ProcessingRun } from './processing-runs.ts';
import { median } from './work-scaling-report.ts';

/** HubSpot read calls per 1,000 events a burst spread over many records may cost (issue 8). */
export const READS_PER_1000_BAR = 25;

export interface ProcessingSummary {
  readonly system: ProcessingRun['system'];
  readonly seconds: readonly number[];
  readonly medianSeconds: number;
  readonly eventsPerSecond: number;
  readonly medianSettledSeconds: number;
  readonly medianDeliveredSeconds: number;
  readonly medianCpuSeconds: number;
  /** Median calls per template over the runs. */
  readonly calls: Readonly<Record<string, number>>;
}

export function summarizeProcessing(runs: readonly ProcessingRun[], events: number): ProcessingSummary[] {
  return (['closeloop', 'bullmq-noop'] as const).map((system) => {
    const of = runs.filter((run) => run.system === system);
    const medianSeconds = median(of.map((run) => run.seconds));
    const templates = [...new Set(of.flatMap((run) => Object.keys(run.calls)))].sort();
    return {
      system,
      seconds: of.map((run) => run.seconds),
      medianSeconds,
      eventsPerSecond: events / medianSeconds,
      medianSettledSeconds: median(of.map((run) => run.settledSeconds)),
      medianDeliveredSeconds: median(of.map((run) => run.deliveredSeconds)),
      medianCpuSeconds: median(of.map((run) => run.cpuSeconds)),
      calls: Object.fromEntries(templates.map((t) => [t, median(of.map((run) => run.calls[t] ?? 0))])),
    };
  });
}

/** Read calls per 1,000 events, from the median calls of each read template. */
export function readsPer1000(summary: ProcessingSummary, events: number): number {
  return (countOf(summary.calls, 'read') * 1000) / events;
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

function speedTable(summaries: readonly ProcessingSummary[], events: number): string[] {
  const ceiling = summaries.find((s) => s.system === 'bullmq-noop');
  const rows = [
    '| consumer | runs (s) | median s | events/s | vs BullMQ no-op | deliveries done (s) | consumer CPU s | settled (s) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const s of summaries) {
    const ratio = ceiling ? s.eventsPerSecond / ceiling.eventsPerSecond : 1;
    rows.push(
      `| ${s.system === 'closeloop' ? '`closeloop work`' : 'BullMQ no-op Worker'} | ${s.seconds.map((x) => fixed(x, 2)).join(', ')} | ${fixed(s.medianSeconds, 2)} | ${fixed(s.eventsPerSecond, 0)} | ${fixed(ratio, 3)}× | ${fixed(s.medianDeliveredSeconds, 2)} | ${fixed(s.medianCpuSeconds, 2)} | ${s.system === 'closeloop' ? fixed(s.medianSettledSeconds) : '–'} |`,
    );
  }
  return rows.concat('', `${events.toLocaleString('en')} events per burst.`);
}

function callTable(closeloop: ProcessingSummary, events: number): string[] {
  const rows = ['| call | kind | calls (median) | per 1,000 events |', '|---|---|---|---|'];
  for (const [template, calls] of Object.entries(closeloop.calls))
    rows.push(`| \`${template}\` | ${kindOf(template)} | ${calls} | ${fixed((calls * 1000) / events, 2)} |`);
  const reads = readsPer1000(closeloop, events);
  const verdict = reads <= READS_PER_1000_BAR ? 'bar met' : '**bar missed**';
  rows.push(
    `| **all reads** | read | ${countOf(closeloop.calls, 'read')} | **${fixed(reads, 2)}** (bar ≤ ${READS_PER_1000_BAR}: ${verdict}) |`,
  );
  return rows;
}

/** Where closeloop's time went, from the same runs. */
function bound(closeloop: ProcessingSummary, ceiling: ProcessingSummary | undefined): string {
  const busy = closeloop.medianCpuSeconds / closeloop.medianSeconds;
  const syncing = closeloop.medianSeconds - closeloop.medianDeliveredSeconds;
  return `The work process kept ${fixed(100 * busy, 0)} % of a core busy while applying a burst, so it mostly waited: the delivery jobs were done after ${fixed(closeloop.medianDeliveredSeconds, 2)} s (the no-op worker's ${fixed(ceiling?.medianSeconds ?? 0, 2)} s: each also notes its ids in Redis and wakes sync), and sync finished ${fixed(syncing, 2)} s after the last one, its runs of up to 1,000 ids one after another (it runs meanwhile too), each waiting on its reads (the sandbox answers from the benchmark's own process) and on Redis.`;
}

export function processingSection(
  options: ProcessingOptions,
  result: ProcessingResult,
  machine: string,
): string {
  const summaries = summarizeProcessing(result.runs, options.events);
  const closeloop = summaries.find((s) => s.system === 'closeloop');
  const perRecord = options.events / result.records;
  return [
    '## Processing',
    '',
    `How fast one \`closeloop work\` process applies a burst of webhook events to the projection, beside BullMQ's ceiling on the same machine and Redis: a bare \`Worker\` with an empty processor (in a process of its own, ${8} at once as closeloop's delivery workers) taking the same delivery jobs. Each burst: ${options.events.toLocaleString('en')} property-change events, ${options.perDelivery} per delivery (as HubSpot batches them), spread over ${result.records.toLocaleString('en')} records (${fixed(perRecord)} events per record on average) of the demo portal (${result.contacts.toLocaleString('en')} contacts, ${result.deals} deals, backfilled once), every one of them changed in HubSpot first (leads moved a stage, open deals' amounts). The jobs are added as \`serve\`'s inbox adds them (ingest is measured in its own section); the clock runs from the first job added until the last event is applied (events queue and sync drained, nothing pending). HubSpot is the sandbox at full speed without rate limits. ${options.repetitions} repetitions, closeloop and the no-op worker in turn, after one uncounted warm-up of each.`,
    '',
    `Machine: ${machine} (1-minute load average ${fixed(result.loadAverage, 2)} when the benchmark started; the sandbox runs inside the benchmark's process).`,
    '',
    ...speedTable(summaries, options.events),
    '',
    ...(closeloop
      ? [
          bound(
            closeloop,
            summaries.find((x) => x.system === 'bullmq-noop'),
          ),
          '',
        ]
      : []),
    '"Deliveries done": every delivery job taken and its events noted for sync; the rest of closeloop\'s time is sync reading the records and applying them. "Settled" adds what the burst set off after the projection — statistics, scoring and the write-back of changed values — with their jobs\' gathering delays (statistics wait 1 s, score 0.5 s).',
    '',
    '**HubSpot calls per burst** (counted by the sandbox per call template, median of the runs):',
    '',
    ...(closeloop ? callTable(closeloop, options.events) : ['No closeloop run was measured.']),
    '',
  ].join('\n');
}

import type { Refill } from './budget-refill.ts';
import { closeloopBudget, type ScalingSummary } from './work-scaling-report.ts';

export interface SectionInput {
  readonly summaries: readonly ScalingSummary[];
  readonly changes: number;
  readonly repetitions: number;
  readonly latencyMs: number;
  readonly requestsPer10s: number;
  readonly contacts: number;
  readonly deals: number;
  readonly machine: string;
  readonly cores: number;
  /** 1-minute load average when the benchmark started. */
  readonly loadAverage: number;
  /** Which leads each burst moves and how it gets a full budget (ScalingOptions); `same`, `wait` if left out. */
  readonly leads?: 'same' | 'fresh';
  readonly refill?: Refill;
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

/** Mean HubSpot calls in flight: each takes at least the added latency, so calls × latency ÷ time. */
export function callsInFlight(summary: ScalingSummary, latencyMs: number): number {
  return (summary.medianCalls * latencyMs) / 1000 / summary.medianSeconds;
}

function table(input: SectionInput): string {
  const budget = closeloopBudget(input.requestsPer10s);
  const rows = [
    `| work processes | runs (s) | median s | changes/s | vs 1 process | last call at (s) | closeloop calls | busiest 10 s (of ${budget}) | calls in flight | CPU cores: work / all | 429s | deliveries refused |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of input.summaries) {
    rows.push(
      `| ${s.processes} | ${s.seconds.map((seconds) => fixed(seconds)).join(', ')} | ${fixed(s.medianSeconds)} | ${fixed(s.changesPerSecond, 0)} | ${fixed(s.speedup, 2)}× | ${fixed(s.medianLastCallSeconds)} | ${s.medianCalls} | ${s.medianBusiest10s} | ${fixed(callsInFlight(s, input.latencyMs), 2)} | ${fixed(s.workCores, 2)} / ${fixed(s.allCores, 2)} | ${s.rejected} | ${s.refusedDeliveries} |`,
    );
  }
  return rows.join('\n');
}

/** What the numbers say bounds the scaling: the rate budget, the CPU, or calls made one after another. */
export function boundFindings(input: SectionInput): string[] {
  const budget = closeloopBudget(input.requestsPer10s);
  const busiest = Math.max(...input.summaries.map((s) => s.medianBusiest10s));
  const cores = Math.max(...input.summaries.map((s) => s.allCores));
  const inFlight = Math.max(...input.summaries.map((s) => callsInFlight(s, input.latencyMs)));
  const widest = input.summaries.at(-1);
  const findings = [
    widest
      ? `${widest.processes} work processes settled the burst at ${fixed(widest.speedup, 2)}× the rate of one.`
      : 'No run was measured.',
    busiest >= 0.9 * budget
      ? `**The shared rate budget**: the busiest 10 s held ${busiest} of closeloop's ${budget} calls; more processes only queue for the same budget in Redis.`
      : `**Not the rate budget**: the busiest 10 s held at most ${busiest} calls, ${fixed((100 * busiest) / budget, 0)} % of closeloop's ${budget}; the rest of the budget went unused whatever the number of processes.`,
    cores >= 0.8 * input.cores
      ? `**The CPU**: the processes together kept ${fixed(cores, 2)} of the ${input.cores} cores busy.`
      : `**Not the CPU**: the work processes, \`serve\` and the sandbox together kept at most ${fixed(cores, 2)} of the ${input.cores} cores busy (Redis not counted), so the machine's ${input.cores} cores did not limit these numbers. Were the work CPU-bound, ${input.cores} cores would cap any gain at ${input.cores}× however many processes ran, and ${widest?.processes ?? 'more'} processes would compete for them.`,
  ];
  if (inFlight <= 1.5)
    findings.push(
      `**HubSpot's latency, one call after another**: at most ${fixed(inFlight, 2)} calls were in flight on average (calls × ${input.latencyMs} ms ÷ run time), so a run lasts about its calls × the latency. Sync, statistics, score and write-back each run as one job per portal at a time, whichever process takes it (BullMQ deduplication with \`keepLastIfActive\`, \`src/queue.ts\`), and their calls mostly follow one another; extra processes add only webhook-delivery workers, which make no HubSpot call. More \`work\` processes buy availability (one can stop without stopping the work), not throughput.`,
    );
  return findings;
}

/** How the repetitions follow one another: which leads, the warm-up, the full budget. */
function method(input: SectionInput, counts: string): string {
  const order = `${input.repetitions} repetitions interleaved (${counts}, ${counts}, …)`;
  const leads =
    input.leads === 'fresh'
      ? `${order}; each burst moves ${input.changes.toLocaleString('en')} leads no burst moved before (one even spread over the portal's leads for all the bursts, dealt out in turn), so none goes back and no warm-up is needed to record the SQL entry dates later bursts would only move`
      : `${order} after one uncounted warm-up; after each measured burst the same leads go back to \`lead\`, unmeasured`;
  const refill =
    input.refill === 'empty'
      ? "before each burst the benchmark empties the sandbox's 10-second window and closeloop's budget window (its Redis key), as 10 idle seconds would (a full budget), instead of waiting"
      : 'the next burst waits until no call has reached the sandbox for 10 s (a full budget)';
  return `${leads}, and ${refill}.`;
}

export function workScalingSection(input: SectionInput): string {
  const budget = closeloopBudget(input.requestsPer10s);
  const counts = input.summaries.map((s) => s.processes).join(', ');
  return [
    '## Work scaling',
    '',
    `What more \`closeloop work\` processes buy: a burst of ${input.changes.toLocaleString('en')} contact updates (leads moved to SQL through HubSpot's batch update, 100 per call), each synced, scored and written back, timed from the first update sent until \`waitUntilSettled\` resolves (webhooks delivered, queues empty, nothing left to write; its three quiet checks 200 ms apart add about 0.6 s to every run).`,
    '',
    `Settings: the sandbox portal of \`npm run demo\` (${input.contacts.toLocaleString('en')} contacts, ${input.deals} deals), set up and backfilled once; every HubSpot call ${input.latencyMs} ms slower (the sandbox's \`slow\` fault on every call); the sandbox limits the app to ${input.requestsPer10s} calls per rolling 10 s (Professional) and closeloop runs with \`HUBSPOT_REQUESTS_PER_10S=${input.requestsPer10s}\`, so it spends at most ${budget}. One \`serve\` receives the sandbox's signed webhooks; ${counts} \`work\` processes (\`node src/cli.ts work\`, \`WORK_PORT=0\`) share one Redis, started afresh for each run; reconcile sweeps off. ${method(input, counts)} Calls are counted by the sandbox (\`GET /__sandbox/calls\`) without the burst's own updates.`,
    '',
    `Machine: ${input.machine}: ${input.cores} cores for everything at once — the sandbox with this benchmark (one process), \`serve\`, up to ${Math.max(...input.summaries.map((s) => s.processes))} \`work\` processes and Redis — shared with whatever else ran (1-minute load average ${fixed(input.loadAverage, 2)} when the benchmark started).`,
    '',
    table(input),
    '',
    '**What bounds the scaling.**',
    '',
    ...boundFindings(input).map((finding) => `- ${finding}`),
    '',
  ].join('\n');
}

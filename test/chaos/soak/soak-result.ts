import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { RESULTS_DIR } from '../scenario/scenario-result.ts';

const SOAK_FILE = `${RESULTS_DIR}soak/result.json`;

/** One minute of the soak: memory (means of its samples) and how fast deliveries were acknowledged. */
export const soakMinuteSchema = z.object({
  minute: z.number(),
  redisMiB: z.number(),
  serveRssMiB: z.number(),
  workRssMiB: z.number(),
  deliveries: z.number(),
  events: z.number(),
  p99AckMs: z.number().nullable(),
});
export type SoakMinute = z.infer<typeof soakMinuteSchema>;

/** Last third over first third of the measured minutes (1.00: flat). */
const growthSchema = z.object({
  redis: z.number(),
  serveRss: z.number(),
  workRss: z.number(),
  p99Ack: z.number(),
});

export const soakResultSchema = z.object({
  maxEventsPerSecond: z.number(),
  eventsPerOperation: z.number(),
  operationsPerSecond: z.number(),
  warmupSeconds: z.number(),
  durationSeconds: z.number(),
  minutes: z.array(soakMinuteSchema),
  growth: growthSchema,
  bounds: growthSchema,
  failedJobs: z.number(),
  settings: z.array(z.string()),
  problems: z.array(z.string()),
  finishedAt: z.string(),
});
export type SoakResult = z.infer<typeof soakResultSchema>;

export function writeSoakResult(result: SoakResult): void {
  mkdirSync(`${RESULTS_DIR}soak`, { recursive: true });
  writeFileSync(SOAK_FILE, `${JSON.stringify(result, null, 2)}\n`);
}

export function readSoakResult(): SoakResult | undefined {
  if (!existsSync(SOAK_FILE)) return undefined;
  return soakResultSchema.parse(JSON.parse(readFileSync(SOAK_FILE, 'utf8')));
}

const ratio = (value: number, bound: number) => `${value.toFixed(2)} (bound ${bound.toFixed(2)})`;

function minutesTable(minutes: readonly SoakMinute[]): string[] {
  const rows = [
    '| minute | events/s | Redis used_memory | serve RSS | work RSS | p99 acknowledgement |',
    '|---|---|---|---|---|---|',
  ];
  for (const m of minutes) {
    const p99 = m.p99AckMs === null ? '—' : `${m.p99AckMs.toFixed(1)} ms`;
    rows.push(
      `| ${m.minute} | ${(m.events / 60).toFixed(1)} | ${m.redisMiB.toFixed(1)} MiB | ${m.serveRssMiB.toFixed(1)} MiB | ${m.workRssMiB.toFixed(1)} MiB | ${p99} |`,
    );
  }
  return rows;
}

/** The `## Soak` section of RESULTS.md. */
export function soakSection(result: SoakResult, machine: string): string {
  const { growth, bounds } = result;
  const target = result.maxEventsPerSecond / 2;
  return [
    '## Soak',
    '',
    `Last run: ${result.finishedAt.slice(0, 10)}, ${machine}. \`npm run test:chaos -- --soak\`.`,
    '',
    `Maximum processing rate, measured first (a backlog drained by one \`work\`): ${result.maxEventsPerSecond.toFixed(0)} events/s. The soak ran at half of it (${target.toFixed(0)} events/s: ${result.operationsPerSecond.toFixed(1)} changes/s at ${result.eventsPerOperation.toFixed(2)} events each) for ${(result.durationSeconds / 60).toFixed(0)} minutes, after a ${result.warmupSeconds.toFixed(0)} s warm-up that filled what closeloop keeps for a bounded time (${result.settings.join('; ')}).`,
    '',
    ...minutesTable(result.minutes),
    '',
    'Last third over first third of the measured minutes:',
    '',
    `- Redis used_memory: ${ratio(growth.redis, bounds.redis)}`,
    `- serve RSS: ${ratio(growth.serveRss, bounds.serveRss)}; work RSS: ${ratio(growth.workRss, bounds.workRss)}`,
    `- p99 acknowledgement latency: ${ratio(growth.p99Ack, bounds.p99Ack)}`,
    `- failed jobs at the end: ${result.failedJobs}${result.problems.length > 0 ? `; problems: ${result.problems.join('; ')}` : ''}`,
  ].join('\n');
}

import type { Redis } from 'ioredis';
import pc from 'picocolors';
import type { Config } from '../config.ts';
import { type CampaignJson, campaignRows, campaignsCsv } from '../http/campaign-json.ts';
import { reportSource } from '../store/report-source.ts';
import { formatCampaignTable } from './campaign-table.ts';

export const SORT_KEYS = {
  leads: (c: CampaignJson) => c.leads,
  won: (c: CampaignJson) => c.won,
  revenue: (c: CampaignJson) => c.revenue,
  'close-rate': (c: CampaignJson) => c.closeRateAtHorizon.rate,
  alignment: (c: CampaignJson) => c.alignmentIndex,
  'cost-per-lead': (c: CampaignJson) => c.costPerLead,
  'cost-per-won': (c: CampaignJson) => c.costPerWon,
  name: (c: CampaignJson) => c.name,
} as const;
export type SortKey = keyof typeof SORT_KEYS;

export interface ReportOptions {
  readonly format: 'table' | 'csv' | 'json';
  readonly sort: SortKey;
  readonly campaign?: string;
  readonly from?: number;
  readonly to?: number;
  /** Colour the table (a terminal that shows colours). */
  readonly colour: boolean;
}

function sorted(rows: CampaignJson[], key: SortKey): CampaignJson[] {
  const value = SORT_KEYS[key];
  return rows.sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null) return y === null ? 0 : 1;
    if (y === null) return -1;
    return typeof x === 'string' ? x.localeCompare(String(y)) : Number(y) - Number(x);
  });
}

// The caller decides (a terminal, NO_COLOR), not picocolors' own detection.
const colours = pc.createColors(true);

/** Colours what a reader should notice: campaigns below half their share of revenue, and above 1.5×. */
function colourLine(line: string, row: CampaignJson | undefined): string {
  if (!row || row.alignmentIndex === null) return line;
  if (row.alignmentIndex < 0.5) return colours.red(line);
  if (row.alignmentIndex >= 1.5) return colours.green(line);
  return line;
}

/** `closeloop report`: the campaign table for a terminal, or as CSV or JSON. */
export async function report(redis: Redis, config: Config, options: ReportOptions): Promise<string> {
  const cohort = { from: options.from, to: options.to };
  const source = await reportSource(
    redis,
    config.redis.prefix,
    cohort,
    Date.now(),
    config.metrics.closeHorizonDays,
  );
  if (!source) throw new Error('No figures yet: run `closeloop setup` and `closeloop backfill` first');
  const wanted = options.campaign?.toLowerCase();
  const rows = sorted(
    campaignRows(source, cohort, config.metrics.closeHorizonDays).filter(
      (row) => !wanted || row.name.toLowerCase() === wanted || row.campaign.toLowerCase() === wanted,
    ),
    options.sort,
  );
  if (options.campaign && rows.length === 0)
    throw new Error(`No campaign named ${JSON.stringify(options.campaign)}`);
  if (options.format === 'json') return JSON.stringify(rows, null, 2);
  if (options.format === 'csv') return campaignsCsv(rows);
  const lines = formatCampaignTable(rows).split('\n');
  if (!options.colour) return lines.join('\n');
  return lines
    .map((line, index) => (index < 2 ? colours.bold(line) : colourLine(line, rows[index - 2])))
    .join('\n');
}

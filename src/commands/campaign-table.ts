import type { CampaignJson } from '../http/campaign-json.ts';

const percent = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);
const money = (value: number | null) => (value === null ? '–' : Math.round(value).toLocaleString('en-US'));
const interval = (rate: number | null, low: number | null, high: number | null) =>
  rate === null ? '–' : `${percent(rate)} (${percent(low)}–${percent(high)})`;

/** The campaign table for a terminal: aligned columns, numbers right-aligned. */
export function formatCampaignTable(campaigns: readonly CampaignJson[]): string {
  const horizon = campaigns[0]?.closeRateAtHorizon.days ?? 180;
  const header = [
    'campaign',
    'leads',
    'opps',
    'won',
    'lost',
    'revenue',
    'lead→close',
    `close by day ${horizon} (95% CI)`,
    'mature',
    'shrunk',
    'alignment',
    'cost/lead',
    'cost/won',
  ];
  const rows = campaigns.map((c) => [
    c.name,
    String(c.leads),
    String(c.opportunities),
    String(c.won),
    String(c.lost),
    money(c.revenue),
    percent(c.leadToClose.rate),
    interval(c.closeRateAtHorizon.rate, c.closeRateAtHorizon.low, c.closeRateAtHorizon.high),
    percent(c.closeRateAtHorizon.maturity),
    percent(c.shrunkCloseRate?.rate ?? null),
    c.alignmentIndex === null ? '–' : c.alignmentIndex.toFixed(2),
    money(c.costPerLead),
    money(c.costPerWon),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  return [line(header), line(widths.map((width) => '─'.repeat(width))), ...rows.map(line)].join('\n');
}

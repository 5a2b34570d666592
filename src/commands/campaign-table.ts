import type { CampaignJson } from '../http/campaign-json.ts';

const percent = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);

/** The campaign table for a terminal: aligned columns, numbers right-aligned. */
export function formatCampaignTable(campaigns: readonly CampaignJson[]): string {
  const header = [
    'campaign',
    'leads',
    'opps',
    'won',
    'lost',
    'revenue',
    'lead→close (95% CI)',
    'shrunk',
    'alignment',
  ];
  const rows = campaigns.map((c) => [
    c.campaign,
    String(c.leads),
    String(c.opportunities),
    String(c.won),
    String(c.lost),
    Math.round(c.revenue).toLocaleString('en-US'),
    `${percent(c.leadToClose.rate)} (${percent(c.leadToClose.low)}–${percent(c.leadToClose.high)})`,
    percent(c.shrunkCloseRate?.rate ?? null),
    c.alignmentIndex === null ? '–' : c.alignmentIndex.toFixed(2),
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

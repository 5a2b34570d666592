import type { RecomputeOptions, RecomputeResult } from './recompute.ts';
import { median } from './work-scaling-report.ts';

const REBUILD_BAR_SECONDS = 5;
const READ_BAR_MS = 10;

const seconds = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(', ');
const met = (ok: boolean) => (ok ? 'met' : '**missed**');

function checkLine(result: RecomputeResult): string {
  const { check } = result;
  if (check.differences.length > 0)
    return `**The naive figures differ** in ${check.differences.length} places, e.g. ${check.differences.slice(0, 3).join('; ')}.`;
  return `The naive figures are equal for all ${check.campaigns} campaigns: leads, opportunities, won, lost and open exactly; revenue within ${check.maxRevenueCents.toExponential(1)} cents of PostgreSQL's exact sum; won deals within ${check.maxWonDeals.toExponential(1)}.`;
}

/** The recompute benchmark's section of RESULTS.md. */
export function recomputeSection(
  options: RecomputeOptions,
  result: RecomputeResult,
  machine: string,
): string {
  const rebuild = median(result.rebuildSeconds);
  const read = median(result.readMs);
  const sql = median(result.sqlSeconds);
  const rows = [
    "| what | runs | median | bar | time ÷ PostgreSQL's |",
    '|---|---|---|---|---|',
    `| closeloop: statistics job rebuilds every campaign's figures | ${seconds(result.rebuildSeconds)} s | ${rebuild.toFixed(2)} s | ≤ ${REBUILD_BAR_SECONDS} s: ${met(rebuild <= REBUILD_BAR_SECONDS)} | ${(rebuild / sql).toFixed(2)} |`,
    `| closeloop: API reads every campaign's figures | ${result.readMs.map((ms) => ms.toFixed(1)).join(', ')} ms | ${read.toFixed(1)} ms | ≤ ${READ_BAR_MS} ms: ${met(read <= READ_BAR_MS)} | ${(read / (sql * 1000)).toFixed(4)} (${((sql * 1000) / read).toFixed(0)}× faster) |`,
    `| PostgreSQL: naive figures by GROUP BY | ${seconds(result.sqlSeconds)} s | ${sql.toFixed(2)} s | | 1 |`,
  ];
  return [
    '## Recompute',
    '',
    `Every campaign's figures for a synthetic portal of ${options.contacts.toLocaleString('en')} contacts (all leads), ${options.deals.toLocaleString('en')} deals (${result.postgres.rows.associations.toLocaleString('en')} contact associations: a quarter of the deals shared by two or three contacts) and ${result.campaigns} campaigns: lead dates over two years, campaign sizes falling as 1/rank, stage dates, deals closing within weeks. The projection is written into a Redis of the benchmark's own through closeloop's store (\`projection.write\`, \`applyLeads\`, \`applyDealCampaigns\`: the production layout and scripts), generated in ${result.generateSeconds.toFixed(1)} s and written in ${result.writeSeconds.toFixed(1)} s.`,
    '',
    `- **Rebuild**: \`rebuildStats\`, the body of the statistics job (\`jobs/stats.ts\`): every lead's figures scanned from the projection, then per campaign and for all campaigns the lag-aware close and opportunity rates at H = ${options.horizonDays} days with intervals, days-to quartiles, per-stage close rates, the daily per-stage curves lead scores read, the empirical-Bayes prior, saved in one transaction.`,
    `- **Read**: what \`GET /api/campaigns\` does (\`reportSource\`, \`campaignRows\`, \`JSON.stringify\`; no HTTP), median of ${options.reads} reads per repetition. Rebuild and reads run in a worker thread with a heap of its own, as a \`work\` or \`serve\` process has, not the benchmark's.`,
    `- **Baseline**: the projection's contacts, deals and associations read back from Redis into a scratch schema of the local PostgreSQL (COPY, ANALYZE; ${result.postgres.loadSeconds.toFixed(1)} s), then one query deriving each lead's status and share of won revenue from its deals and grouping by campaign (\`test/bench/naive-totals-sql.ts\`; \`work_mem\` 256 MB). It computes the naive figures only, which closeloop keeps as running totals; the lag-aware statistics have no GROUP BY equivalent.`,
    '',
    `Machine: ${machine}, shared with whatever else ran (1-minute load average ${result.loadAverage.toFixed(2)} when the timed runs began; Redis, PostgreSQL and the benchmark compete for the 2 cores). ${options.repetitions} repetitions interleaved (rebuild, reads, query) after one uncounted warm-up of each.`,
    '',
    ...rows,
    '',
    "The two sides do different work: the rebuild computes every lag-aware statistic and curve, which a GROUP BY does not give, and no naive figure; closeloop never recomputes those: the store keeps them as running totals as leads change, and the read serves them with the last rebuild's statistics.",
    '',
    checkLine(result),
    '',
    `Inside Redis during one rebuild: ${result.rebuildRedis}${result.rebuildSlowest ? `; slowest single command ${result.rebuildSlowest.command} ${(result.rebuildSlowest.micros / 1000).toFixed(1)} ms` : ''}. During one API read: ${result.readRedis}.`,
  ].join('\n');
}

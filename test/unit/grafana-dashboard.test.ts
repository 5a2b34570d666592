import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const panel = z.object({
  type: z.string(),
  title: z.string(),
  datasource: z.object({ type: z.string(), uid: z.string() }).optional(),
  targets: z
    .array(z.object({ expr: z.string().min(1), datasource: z.object({ uid: z.string() }) }))
    .optional(),
});
const dashboardSchema = z.object({
  __inputs: z.array(z.object({ name: z.string(), type: z.string(), pluginId: z.string() })),
  panels: z.array(panel),
});
const HISTOGRAMS = [
  'webhook_lag_seconds',
  'webhook_enqueue_seconds',
  'http_request_duration_seconds',
  'job_duration_seconds',
  'hubspot_call_duration_seconds',
];
const METRICS = new Set(
  [
    ...HISTOGRAMS.map((name) => `${name}_bucket`),
    'webhook_events_total',
    'http_requests_total',
    'queue_jobs',
    'queue_oldest_waiting_seconds',
    'job_failures_total',
    'hubspot_calls_total',
    'hubspot_ratelimit_remaining',
    'hubspot_ratelimit_max',
    'hubspot_daily_remaining',
    'hubspot_daily_limit',
    'hubspot_daily_limit_resets_at_seconds',
    'background_paused',
    'writeback_records_total',
    'reconcile_fixed_total',
    'reconcile_checked_total',
  ].map((name) => `closeloop_${name}`),
);

/** Grafana replaces it with the data source chosen on import. */
const DATASOURCE_UID = `\${DS_PROMETHEUS}`;

describe('Grafana dashboard', () => {
  const load = async () =>
    dashboardSchema.parse(
      JSON.parse(await readFile(new URL('../../infra/grafana/closeloop.json', import.meta.url), 'utf8')),
    );

  it('asks for its Prometheus data source on import and uses it in every query', async () => {
    const dashboard = await load();
    expect(dashboard.__inputs).toEqual([
      expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }),
    ]);
    const queries = dashboard.panels.filter((p) => p.type !== 'row');
    expect(queries.length).toBeGreaterThan(10);
    for (const p of queries) {
      expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: DATASOURCE_UID });
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const target of p.targets ?? []) expect(target.datasource.uid, p.title).toBe(DATASOURCE_UID);
    }
    // Rows only group panels: they hold no queries.
    for (const row of dashboard.panels.filter((p) => p.type === 'row')) expect(row.targets ?? []).toEqual([]);
  });

  it('has the rows operators look for, queries only known metrics and never sums queue gauges', async () => {
    const dashboard = await load();
    expect(dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title)).toEqual([
      'Webhooks',
      'Queues',
      'Jobs',
      'HubSpot',
      'Write-back',
      'Reconcile',
      'HTTP',
    ]);
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    const used = new Set(exprs.flatMap((expr) => expr.match(/closeloop_\w+/g) ?? []));
    expect([...used].filter((name) => !METRICS.has(name))).toEqual([]);
    expect([...METRICS].filter((name) => !used.has(name))).toEqual([]);
    for (const expr of exprs.filter((e) => e.includes('closeloop_queue_')))
      expect(expr).toMatch(/^max by \(/);
  });
});

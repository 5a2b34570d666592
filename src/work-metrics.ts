import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CallObserver } from './hubspot/http.ts';
import { createRegistry } from './metrics.ts';

/** What the workers report to Prometheus: jobs, HubSpot calls, write-backs, reconcile. */
export interface WorkMetrics {
  readonly registry: Registry;
  readonly jobDuration: Histogram<'queue' | 'outcome'>;
  readonly jobFailures: Counter<'queue' | 'final'>;
  readonly hubspotCalls: Counter<'endpoint' | 'method' | 'status'>;
  readonly hubspotDuration: Histogram<'endpoint'>;
  readonly rateLimitRemaining: Gauge<never>;
  readonly rateLimitMax: Gauge<never>;
  readonly writebackRecords: Counter<'object' | 'result'>;
  readonly reconcileFixed: Counter<'object' | 'kind'>;
  readonly reconcileChecked: Counter<'object'>;
  /** serve counts events enqueued and ignored; the delivery jobs count the repeats they drop. */
  readonly webhookEvents: Counter<'outcome'>;
}

export function createWorkMetrics(): WorkMetrics {
  const registry = createRegistry();
  const registers = [registry];
  return {
    registry,
    jobDuration: new Histogram({
      name: 'closeloop_job_duration_seconds',
      help: 'Job run time by queue and outcome (completed, failed, delayed: put off for a rate limit)',
      labelNames: ['queue', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
    webhookEvents: new Counter({
      name: 'closeloop_webhook_events_total',
      help: 'Webhook events received, by what happened to them (duplicate: a repeat dropped by its delivery job)',
      labelNames: ['outcome'],
      registers,
    }),
    jobFailures: new Counter({
      name: 'closeloop_job_failures_total',
      help: 'Failed job attempts by queue; final="true" when the job is out of attempts or cannot succeed',
      labelNames: ['queue', 'final'],
      registers,
    }),
    hubspotCalls: new Counter({
      name: 'closeloop_hubspot_calls_total',
      help: 'HubSpot API calls by endpoint (ids replaced by {id}), method and status ("error" when unreachable)',
      labelNames: ['endpoint', 'method', 'status'],
      registers,
    }),
    hubspotDuration: new Histogram({
      name: 'closeloop_hubspot_call_duration_seconds',
      help: 'HubSpot API call duration by endpoint',
      labelNames: ['endpoint'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    }),
    rateLimitRemaining: new Gauge({
      name: 'closeloop_hubspot_ratelimit_remaining',
      help: "Calls left in HubSpot's rolling 10-second window for the app (X-HubSpot-RateLimit-Remaining, last seen)",
      registers,
    }),
    rateLimitMax: new Gauge({
      name: 'closeloop_hubspot_ratelimit_max',
      help: "The app's calls per 10-second window (X-HubSpot-RateLimit-Max)",
      registers,
    }),
    writebackRecords: new Counter({
      name: 'closeloop_writeback_records_total',
      help: 'Records scored, by what happened: written to HubSpot, unchanged (HubSpot already shows the values: no call), gone (deleted meanwhile)',
      labelNames: ['object', 'result'],
      registers,
    }),
    reconcileFixed: new Counter({
      name: 'closeloop_reconcile_fixed_total',
      help: 'Records the reconcile sweeps found out of date and queued for sync, by what was wrong',
      labelNames: ['object', 'kind'],
      registers,
    }),
    reconcileChecked: new Counter({
      name: 'closeloop_reconcile_checked_total',
      help: 'Records the reconcile sweeps compared with the projection',
      labelNames: ['object'],
      registers,
    }),
  };
}

const ID_SEGMENT = /^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The endpoint of a path as a bounded label: record ids and campaign GUIDs become `{id}`. */
export function endpointOf(path: string): string {
  return (path.split('?')[0] ?? '')
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) ? '{id}' : segment))
    .join('/');
}

/** Counts every HubSpot call and keeps the 10-second window's headers. */
export function observeHubSpotCalls(metrics: WorkMetrics): CallObserver {
  return (call) => {
    const endpoint = endpointOf(call.path);
    metrics.hubspotCalls.inc({ endpoint, method: call.method, status: String(call.status) });
    metrics.hubspotDuration.observe({ endpoint }, call.seconds);
    const remaining = Number(call.headers?.get('x-hubspot-ratelimit-remaining') ?? Number.NaN);
    const max = Number(call.headers?.get('x-hubspot-ratelimit-max') ?? Number.NaN);
    if (Number.isFinite(remaining)) metrics.rateLimitRemaining.set(remaining);
    if (Number.isFinite(max)) metrics.rateLimitMax.set(max);
  };
}

import type { QueueName } from '../src/queue.ts';
import type { WorkMetrics } from '../src/work-metrics.ts';
import type { DeliveryReport } from './delivery.ts';
import type { ReconcileReport } from './reconcile.ts';
import type { ScoreReport } from './score.ts';
import type { WritebackReport } from './writeback.ts';

/** Turns what a job reports into counters: jobs stay free of metrics, the wiring reads their stories. */
export function recordReport(queue: QueueName, report: unknown, metrics: WorkMetrics): void {
  if (!report || typeof report !== 'object') return;
  if (queue === 'events')
    metrics.webhookEvents.inc({ outcome: 'duplicate' }, (report as DeliveryReport).duplicates);
  if (queue === 'score') {
    const { unchanged } = report as ScoreReport;
    for (const [object, count] of Object.entries(unchanged))
      metrics.writebackRecords.inc({ object, result: 'unchanged' }, count);
  }
  if (queue === 'writeback') {
    for (const [object, counts] of Object.entries((report as WritebackReport).byType)) {
      metrics.writebackRecords.inc({ object, result: 'written' }, counts.written);
      metrics.writebackRecords.inc({ object, result: 'gone' }, counts.gone);
    }
  }
  if (queue === 'reconcile') {
    const { checked, fixed } = report as ReconcileReport;
    for (const [object, count] of Object.entries(checked)) metrics.reconcileChecked.inc({ object }, count);
    for (const [object, kinds] of Object.entries(fixed))
      for (const [kind, count] of Object.entries(kinds)) metrics.reconcileFixed.inc({ object, kind }, count);
  }
}

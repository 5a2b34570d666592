import { chunk } from '../../src/hubspot/crm.ts';
import { DELIVERY_JOB_NAME, DELIVERY_JOB_OPTIONS, type DeliveryJob } from '../../src/queue.ts';

/** Changes as an import or a workflow makes them: HubSpot's batch update, 100 records per call. */
export async function batchUpdate(
  sandboxUrl: string,
  token: string,
  type: 'contacts' | 'deals',
  changes: ReadonlyMap<string, Record<string, string>>,
): Promise<number> {
  const batches = chunk([...changes], 100);
  await Promise.all(
    batches.map(async (batch) => {
      const response = await fetch(`${sandboxUrl}/crm/v3/objects/${type}/batch/update`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: batch.map(([id, properties]) => ({ id, properties })) }),
      });
      if (!response.ok) throw new Error(`${type} batch update → ${response.status} ${await response.text()}`);
    }),
  );
  return batches.length;
}

export interface ChangedRecord {
  readonly object: 'contact' | 'deal';
  readonly id: string;
}

/** mulberry32, so every run of a benchmark sends the same events in the same order. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The delivery jobs `serve` would enqueue for a burst of `events` property-change events spread
 * over `records` (each record gets its share, as HubSpot sends one event per changed property),
 * shuffled, `perDelivery` events to a delivery.
 */
export function burstDeliveries(
  records: readonly ChangedRecord[],
  options: { events: number; perDelivery: number; portal: number; at: number; seed: number },
): DeliveryJob[] {
  const random = seeded(options.seed);
  const events = Array.from({ length: options.events }, (_, index) => {
    const record = records[index % records.length] as ChangedRecord;
    return {
      kind: 'changed' as const,
      portal: options.portal,
      object: record.object,
      id: record.id,
      at: options.at,
    };
  });
  for (let index = events.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [events[index], events[other]] = [
      events[other] as (typeof events)[number],
      events[index] as (typeof events)[number],
    ];
  }
  return chunk(events, options.perDelivery).map((batch) => ({ receivedAt: options.at, events: batch }));
}

/** The deliveries as `queue.addBulk` takes them: the name and options `serve`'s inbox uses. */
export function asJobs(deliveries: readonly DeliveryJob[]) {
  return deliveries.map((data) => ({ name: DELIVERY_JOB_NAME, data, opts: DELIVERY_JOB_OPTIONS }));
}

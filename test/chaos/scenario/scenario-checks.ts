import { Redis } from 'ioredis';
import type { WriteCounts } from '../../../src/sandbox/write-stats.ts';
import {
  describeDiff,
  diffProjections,
  diffSize,
  type ProjectionDiff,
  type ProjectionSnapshot,
  projectionSnapshot,
} from '../checks/projection-snapshot.ts';
import { truthProjection } from '../checks/truth-projection.ts';
import { type ChaosStack, DASHBOARD_TOKEN, PREFIX } from '../harness/chaos-stack.ts';
import type { Delivery } from '../harness/webhook-proxy.ts';
import { checkAgainstOracle } from '../oracle/check-against-oracle.ts';

/** Batch-update inputs that changed no visible value: nothing, or only `closeloop_scored_at`. */
export function duplicatedWrites(writes: Record<string, WriteCounts>): number {
  return Object.values(writes).reduce(
    (sum, counts) => sum + counts.unchanged + (counts.onlyChanged.closeloop_scored_at ?? 0),
    0,
  );
}

export interface Lost {
  /** Records (or leads) the projection does not reflect though an acknowledged delivery named them (or their deals). */
  readonly records: string[];
  /** Projection entries out of step in all (records, lead figures, campaign totals). */
  readonly outOfStep: number;
  /** For each lost record, when the acknowledged deliveries naming a record deciding it were answered. */
  readonly acks: Map<string, number[]>;
  /** A few lines naming what differs, for a failure message. */
  readonly detail: string;
}

function linked(json: string | undefined, list: 'dealIds' | 'contactIds'): string[] {
  if (!json) return [];
  return (JSON.parse(json) as Record<string, string[] | undefined>)[list] ?? [];
}

/**
 * The records whose events decide each differing entry: the record and those linked to it on
 * either side (a deal's restore also links its contacts back; a contact's deletion unlinks its
 * deals), and for a lead's figures its deals' other leads too (they share its revenue).
 */
function decidingIds(diff: ProjectionDiff, actual: ProjectionSnapshot, truth: ProjectionSnapshot) {
  const sides = [actual, truth];
  const dealsOf = (id: string) => sides.flatMap((side) => linked(side.contacts.get(id), 'dealIds'));
  const contactsOf = (id: string) => sides.flatMap((side) => linked(side.deals.get(id), 'contactIds'));
  const deciding = new Map<string, Set<string>>();
  const add = (id: string, ids: readonly string[]) =>
    deciding.set(id, new Set([...(deciding.get(id) ?? []), id, ...ids]));
  for (const id of diff.contacts) add(id, dealsOf(id));
  for (const id of diff.deals) add(id, contactsOf(id));
  for (const id of diff.leads) {
    const deals = dealsOf(id);
    add(id, [...deals, ...deals.flatMap(contactsOf)]);
  }
  return deciding;
}

/**
 * Compares the scenario's projection with a rebuild from HubSpot's state (before any repair):
 * what differs is what acknowledged events failed to bring about. An entry counts as lost when an
 * acknowledged delivery named a record deciding it.
 */
export async function measureLost(
  stack: ChaosStack,
  scratchRedisUrl: string,
  live: readonly Delivery[],
): Promise<Lost> {
  const truth = await truthProjection(stack.env, scratchRedisUrl);
  const reader = new Redis(stack.redis.url, { maxRetriesPerRequest: 1 });
  const actual = await projectionSnapshot(reader, PREFIX, stack.portalId).finally(() => reader.disconnect());
  const diff = diffProjections(actual, truth);
  const acked = new Map<string, number[]>();
  for (const delivery of live) {
    if (delivery.status < 200 || delivery.status >= 300) continue;
    for (const id of delivery.objectIds) {
      const times = acked.get(id) ?? [];
      times.push(delivery.answeredAt);
      acked.set(id, times);
    }
  }
  const acks = new Map<string, number[]>();
  for (const [id, ids] of decidingIds(diff, actual, truth)) {
    const times = [...ids].flatMap((other) => acked.get(other) ?? []);
    if (times.length > 0) acks.set(id, times);
  }
  const detail = describeDiff(diff, actual, truth);
  return { records: [...acks.keys()].sort(), outOfStep: diffSize(diff), acks, detail };
}

/** The independent oracle (SQL over the portal's final state) against closeloop's API and write-back. */
export async function oracleMismatches(
  stack: ChaosStack,
): Promise<{ mismatches: string[]; summary: string }> {
  const { metrics } = stack.config;
  const report = await checkAgainstOracle({
    sandboxUrl: stack.sandbox.url,
    accessToken: stack.env.HUBSPOT_ACCESS_TOKEN ?? '',
    closeloopUrl: stack.serveUrl,
    dashboardToken: DASHBOARD_TOKEN,
    settings: {
      campaignProperties: [...metrics.campaignProperties],
      leadDateProperty: metrics.leadDateProperty,
      horizonDays: metrics.closeHorizonDays,
      pipelines: [...metrics.pipelines],
      attribution: metrics.attribution,
    },
  });
  const { campaigns, contacts, deals, fields, lagAwareNotChecked } = report.checked;
  const unchecked =
    lagAwareNotChecked.length > 0 ? `, lag-aware not checked: ${lagAwareNotChecked.join(' ')}` : '';
  const summary = `oracle: ${campaigns} campaigns, ${contacts} contacts, ${deals} deals, ${fields} fields${unchecked}`;
  return { mismatches: report.mismatches, summary };
}

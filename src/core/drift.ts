import type { ContactNode, DealNode } from './recompute.ts';

/**
 * How the projection's copy of a record differs from HubSpot's: HubSpot has it and the projection
 * does not (`missing`), the other way round (`deleted`, including merged-away ids), its facts
 * differ (`changed`), or only its associations do (`associations`).
 */
export type DriftKind = 'missing' | 'deleted' | 'changed' | 'associations';

export const DRIFT_KINDS: readonly DriftKind[] = ['missing', 'deleted', 'changed', 'associations'];

type Node = ContactNode | DealNode;

function linksOf(node: Node): readonly string[] {
  return 'dealIds' in node ? node.dealIds : node.contactIds;
}

function sameLinks(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((id) => set.has(id));
}

function sameRecord(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** Whether two copies of a record agree on everything but their associations. */
export function sameFacts(a: Node, b: Node): boolean {
  if ('dealIds' in a && 'dealIds' in b) {
    return (
      a.campaign === b.campaign &&
      a.leadDate === b.leadDate &&
      a.stage === b.stage &&
      sameRecord(a.stageEntered, b.stageEntered)
    );
  }
  if ('contactIds' in a && 'contactIds' in b) {
    return (
      a.pipeline === b.pipeline &&
      a.createdAt === b.createdAt &&
      a.closedAt === b.closedAt &&
      a.won === b.won &&
      a.lost === b.lost &&
      a.amount === b.amount
    );
  }
  return false;
}

/**
 * Compares a fresh read (null: HubSpot no longer has the record) with the projection's copy
 * (undefined: the projection has none). Facts outrank associations: a record with both wrong is
 * `changed`.
 */
export function driftOf(stored: Node | undefined, fresh: Node | null): DriftKind | undefined {
  if (!stored) return fresh ? 'missing' : undefined;
  if (!fresh) return 'deleted';
  if (!sameFacts(stored, fresh)) return 'changed';
  return sameLinks(linksOf(stored), linksOf(fresh)) ? undefined : 'associations';
}

/**
 * The same comparison from a search result, which carries no associations: only their count
 * (`num_associated_deals` / `num_associated_contacts`), when HubSpot returned it. A search result
 * lags behind writes, so what this finds is a suspicion to confirm with a fresh read.
 */
export function searchDriftOf(
  stored: Node | undefined,
  found: Node,
  associatedCount: number | undefined,
): DriftKind | undefined {
  if (!stored) return 'missing';
  if (!sameFacts(stored, found)) return 'changed';
  if (associatedCount === undefined) return undefined;
  return new Set(linksOf(stored)).size === associatedCount ? undefined : 'associations';
}

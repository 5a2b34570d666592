import type { Redis } from 'ioredis';
import { currentGeneration } from '../../../jobs/context.ts';
import { portalKeys } from '../../../src/store/keys.ts';
import { projection } from '../../../src/store/projection.ts';

/** The live generation of a projection, order-free: records, lead figures and campaign totals. */
export interface ProjectionSnapshot {
  readonly contacts: Map<string, string>;
  readonly deals: Map<string, string>;
  readonly leads: Map<string, string>;
  readonly totals: Map<string, string>;
}

/** Records as JSON with their id lists sorted and keys in order. */
function canonical(value: object): string {
  const record = { ...value } as Record<string, unknown>;
  for (const list of ['dealIds', 'contactIds'])
    if (Array.isArray(record[list])) record[list] = [...record[list]].sort();
  return JSON.stringify(Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b))));
}

async function records(scan: AsyncGenerator<[string, object][]>): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for await (const slice of scan) for (const [id, record] of slice) found.set(id, canonical(record));
  return found;
}

export async function projectionSnapshot(
  redis: Redis,
  prefix: string,
  portal: number,
): Promise<ProjectionSnapshot> {
  const keys = portalKeys(prefix, portal);
  const live = keys.projection(await currentGeneration(redis, keys));
  const view = projection(redis, live);
  const totals = await view.totals();
  return {
    contacts: await records(view.scanContacts()),
    deals: await records(view.scanDeals()),
    leads: await records(view.scanLeads()),
    // A campaign whose last lead left keeps zeroed counters: the same as no campaign at all.
    totals: new Map(
      totals
        .filter(({ campaign: _, ...counts }) => Object.values(counts).some((value) => value !== 0))
        .map(({ campaign, ...counts }) => [campaign, JSON.stringify(counts)]),
    ),
  };
}

export type ProjectionDiff = Record<keyof ProjectionSnapshot, string[]>;

function differing(
  a: Map<string, string>,
  b: Map<string, string>,
  same: (x: string, y: string) => boolean = (x, y) => x === y,
): string[] {
  const ids = new Set([...a.keys(), ...b.keys()]);
  return [...ids]
    .filter((id) => {
      const [x, y] = [a.get(id), b.get(id)];
      return x === undefined || y === undefined || !same(x, y);
    })
    .sort();
}

/**
 * Campaign totals equal up to floating-point summation order: revenue is summed per denominator
 * in the order the hash yields them, which differs between two Redis instances in the last bit.
 */
function sameTotals(x: string, y: string): boolean {
  const a = JSON.parse(x) as Record<string, number>;
  const b = JSON.parse(y) as Record<string, number>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => {
    const [u, v] = [a[key], b[key]];
    if (u === undefined || v === undefined) return false;
    return Math.abs(u - v) <= 1e-12 * Math.max(1, Math.abs(u));
  });
}

/** Ids (campaigns for totals) whose entries differ, including those only one side has. */
export function diffProjections(a: ProjectionSnapshot, b: ProjectionSnapshot): ProjectionDiff {
  return {
    contacts: differing(a.contacts, b.contacts),
    deals: differing(a.deals, b.deals),
    leads: differing(a.leads, b.leads),
    totals: differing(a.totals, b.totals, sameTotals),
  };
}

export function diffSize(diff: ProjectionDiff): number {
  return diff.contacts.length + diff.deals.length + diff.leads.length + diff.totals.length;
}

/** A few lines naming what differs, for a failure message. */
export function describeDiff(diff: ProjectionDiff, a: ProjectionSnapshot, b: ProjectionSnapshot): string {
  const lines: string[] = [];
  for (const part of ['contacts', 'deals', 'leads', 'totals'] as const) {
    for (const id of diff[part].slice(0, 5))
      lines.push(`${part} ${id}: ${a[part].get(id) ?? '(none)'} ≠ ${b[part].get(id) ?? '(none)'}`);
    if (diff[part].length > 5) lines.push(`${part}: ${diff[part].length - 5} more`);
  }
  return lines.join('\n');
}

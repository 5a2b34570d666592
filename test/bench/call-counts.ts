import type { SandboxCall } from '../support/sandbox-calls.ts';

export type CallKind = 'read' | 'write' | 'other';

/** What a call template ("METHOD /path/{param}") does to HubSpot's records. */
export function kindOf(template: string): CallKind {
  const [method = '', path = ''] = template.split(' ');
  if (method === 'GET' || path.endsWith('/batch/read') || path.endsWith('/search')) return 'read';
  if (method === 'PATCH' || path.endsWith('/batch/update')) return 'write';
  return 'other';
}

/** Calls per template, as the sandbox logged them. */
export function byTemplate(calls: readonly SandboxCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.call] = (counts[call.call] ?? 0) + 1;
  return counts;
}

/** Calls of one kind in per-template counts. */
export function countOf(counts: Readonly<Record<string, number>>, kind: CallKind): number {
  return Object.entries(counts).reduce((sum, [template, n]) => sum + (kindOf(template) === kind ? n : 0), 0);
}

/** The calls that arrived within [from, to] on the sandbox's clock. */
export function callsBetween(calls: readonly SandboxCall[], from: number, to: number): SandboxCall[] {
  return calls.filter((call) => call.at >= from && call.at <= to);
}

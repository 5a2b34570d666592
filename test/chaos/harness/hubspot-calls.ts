/** closeloop's HubSpot calls by answer (`200`, `429`, `error` for no answer), from its `/metrics`. */
export async function hubspotCalls(workUrl: string, token: string): Promise<Map<string, number>> {
  const response = await fetch(`${workUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`${workUrl}/metrics → ${response.status}`);
  const byStatus = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    const match = line.match(/^closeloop_hubspot_calls_total\{[^}]*status="([^"]+)"[^}]*\} (\d+)/);
    if (!match) continue;
    const [, status, count] = match as unknown as [string, string, string];
    byStatus.set(status, (byStatus.get(status) ?? 0) + Number(count));
  }
  return byStatus;
}

/**
 * What a run of calls cost: in all, those that failed outright (429, 423, 5xx, no answer: each made
 * again) and 207s (some inputs failed: those are sent again; a read naming deleted records answers
 * 207 too).
 */
export function callSummary(byStatus: ReadonlyMap<string, number>) {
  let total = 0;
  let failed = 0;
  const failures: string[] = [];
  for (const [status, count] of [...byStatus].sort()) {
    total += count;
    if (/^2\d\d$/.test(status) || count === 0) continue;
    failed += count;
    failures.push(`${count} × ${status}`);
  }
  return { total, failed, partial: byStatus.get('207') ?? 0, failures };
}

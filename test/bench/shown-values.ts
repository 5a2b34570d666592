import { BLANK_CONTACT, BLANK_DEAL } from '../../src/core/campaign-values.ts';
import { chunk } from '../../src/hubspot/crm.ts';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';

export type RecordType = 'contacts' | 'deals';

/** closeloop's visible properties per record type (`closeloop_scored_at` only moves with them). */
export const SHOWN: Readonly<Record<RecordType, readonly string[]>> = {
  contacts: Object.keys(BLANK_CONTACT),
  deals: Object.keys(BLANK_DEAL),
};

/** What HubSpot shows of closeloop's properties, per `type/id`. */
export type Shown = ReadonlyMap<string, Readonly<Record<string, string>>>;

async function sandboxConfig(sandbox: RunningSandbox, body: unknown): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox/config`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST /__sandbox/config → ${response.status} ${await response.text()}`);
}

async function readBatch(sandbox: RunningSandbox, token: string, type: RecordType, ids: readonly string[]) {
  const response = await fetch(`${sandbox.url}/crm/v3/objects/${type}/batch/read`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ properties: SHOWN[type], inputs: ids.map((id) => ({ id })) }),
  });
  if (!response.ok) throw new Error(`${type} batch read → ${response.status} ${await response.text()}`);
  const body = (await response.json()) as {
    results: { id: string; properties: Record<string, string | null> }[];
  };
  return body.results.map((record) => [
    `${type}/${record.id}`,
    Object.fromEntries(SHOWN[type].map((name) => [name, record.properties[name] ?? ''])),
  ]) as [string, Record<string, string>][];
}

/**
 * Runs `act` with HubSpot's latency and limit lifted (the benchmark's own calls, not closeloop's
 * work), then puts `throttle` back. Its calls still count in the sandbox's 10-second window.
 */
export async function unthrottled<T>(
  sandbox: RunningSandbox,
  throttle: Record<string, unknown>,
  act: () => Promise<T>,
): Promise<T> {
  await sandboxConfig(sandbox, { requestsPer10s: 0, failRate: 0 });
  try {
    return await act();
  } finally {
    await sandboxConfig(sandbox, throttle);
  }
}

/** Reads closeloop's values off every record, all batches at once. */
export async function shownValues(
  sandbox: RunningSandbox,
  token: string,
  ids: Readonly<Record<RecordType, readonly string[]>>,
): Promise<Shown> {
  const reads = (['contacts', 'deals'] as const).flatMap((type) =>
    chunk(ids[type], 100).map((batch) => readBatch(sandbox, token, type, batch)),
  );
  return new Map((await Promise.all(reads)).flat());
}

/** Records whose visible values differ between two looks. */
export function changedRecords(before: Shown, after: Shown): Record<RecordType, string[]> {
  const changed: Record<RecordType, string[]> = { contacts: [], deals: [] };
  for (const [key, values] of after) {
    if (JSON.stringify(before.get(key)) === JSON.stringify(values)) continue;
    const [type, id] = key.split('/') as [RecordType, string];
    changed[type].push(id);
  }
  return changed;
}

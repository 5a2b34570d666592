import { setTimeout as sleep } from 'node:timers/promises';

export interface NaiveWrite {
  readonly type: 'contacts' | 'deals';
  readonly id: string;
  readonly properties: Readonly<Record<string, string>>;
}

export interface NaiveRun {
  readonly records: number;
  readonly calls: number;
  /** Calls answered 429. */
  readonly rejected: number;
  readonly seconds: number;
}

/** What @hubspot/api-client's retry decorator waits after a TEN_SECONDLY_ROLLING 429, times the attempt. */
const SDK_RETRY_MS = 10_000;

/**
 * The writer closeloop is compared with: one PATCH per record, `concurrency` at a time (the
 * SDK's default limiter allows 6), no batching and no shared budget; a 429 is retried after
 * 10 s × the attempt, as the SDK's retry decorator does.
 */
export async function naiveWrite(
  baseUrl: string,
  token: string,
  writes: readonly NaiveWrite[],
  concurrency: number,
): Promise<NaiveRun> {
  const started = performance.now();
  let calls = 0;
  let rejected = 0;
  let next = 0;
  const patch = async (write: NaiveWrite) => {
    for (let attempt = 1; ; attempt++) {
      calls++;
      const response = await fetch(`${baseUrl}/crm/v3/objects/${write.type}/${write.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ properties: write.properties }),
      });
      await response.arrayBuffer();
      if (response.ok) return;
      if (response.status !== 429) throw new Error(`PATCH ${write.type}/${write.id} → ${response.status}`);
      rejected++;
      await sleep(SDK_RETRY_MS * attempt);
    }
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < writes.length) await patch(writes[next++] as NaiveWrite);
    }),
  );
  return { records: writes.length, calls, rejected, seconds: (performance.now() - started) / 1000 };
}

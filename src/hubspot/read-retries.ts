import { TransientError } from '../errors.ts';

/** Pauses before the second and the third try. */
const PAUSES_MS = [250, 1000];

/**
 * Tries a batch read again, twice, when HubSpot fails it transiently (5xx, 423, no answer, a 207
 * naming errors other than not-found). A sync run reads in many calls and is retried whole when
 * one fails, with a backoff that grows each time: with a few percent of calls failing, a large run
 * would almost never get through. Reads change nothing, so repeating one is safe. Rate limits and
 * the daily limit are not transient errors: the job waits for those.
 */
export async function retryRead<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const pause = PAUSES_MS[attempt];
      if (!(error instanceof TransientError) || pause === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.max(pause, error.minDelayMs)));
    }
  }
}

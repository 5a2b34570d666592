/**
 * Waits for every promise, then throws the first failure: no HubSpot call of a run is still in
 * flight when the run gives up.
 */
export async function settled<T extends readonly unknown[] | []>(
  promises: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results: PromiseSettledResult<unknown>[] = await Promise.allSettled<readonly unknown[]>(promises);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}

/**
 * Runs `count` lanes at once, each taking work until there is none; after the first failure every
 * lane is told to stop taking more, the others finish what they hold, and the failure is thrown
 * once all have ended. One lane is the plain loop: nothing more is started after a failure.
 */
export async function inLanes(count: number, lane: (stopped: () => boolean) => Promise<void>): Promise<void> {
  let stop = false;
  const stopped = () => stop;
  await settled(
    Array.from({ length: Math.max(1, count) }, () =>
      lane(stopped).catch((error: unknown) => {
        stop = true;
        throw error;
      }),
    ),
  );
}

/** `call` over `items` with at most `count` running at once; results in the order of `items`. */
export async function mapInLanes<T, R>(
  items: readonly T[],
  count: number,
  call: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await inLanes(Math.min(count, items.length), async (stopped) => {
    while (!stopped() && next < items.length) {
      const index = next++;
      results[index] = await call(items[index] as T);
    }
  });
  return results;
}

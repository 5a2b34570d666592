import { describe, expect, it } from 'vitest';
import { inLanes, mapInLanes, settled } from '../../src/hubspot/call-pool.ts';

/** Calls that finish only when released, recording how many run at once. */
function gatedCalls() {
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const waiting: (() => void)[] = [];
  return {
    started,
    most: () => most,
    async call(item: number): Promise<number> {
      running++;
      most = Math.max(most, running);
      started.push(item);
      await new Promise<void>((resolve) => waiting.push(resolve));
      running--;
      return item * 10;
    },
    /** Releases the calls started so far, one tick apart. */
    async releaseAll() {
      while (waiting.length > 0) {
        waiting.shift()?.();
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

describe('mapInLanes', () => {
  it('keeps at most `count` calls running and returns results in the order of the items', async () => {
    const gate = gatedCalls();
    const done = mapInLanes([1, 2, 3, 4, 5, 6, 7], 3, (item) => gate.call(item));
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.started).toEqual([1, 2, 3]);
    for (let round = 0; round < 5; round++) await gate.releaseAll();
    expect(await done).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(gate.most()).toBe(3);
  });

  it('is the plain loop with one lane: each call starts after the previous one ended', async () => {
    const order: string[] = [];
    await mapInLanes([1, 2, 3], 1, async (item) => {
      order.push(`start ${item}`);
      await new Promise((resolve) => setImmediate(resolve));
      order.push(`end ${item}`);
    });
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('starts nothing after a failure, lets running calls finish, then throws that failure', async () => {
    const finished: number[] = [];
    const started: number[] = [];
    const outcome = mapInLanes([1, 2, 3, 4, 5, 6], 3, async (item) => {
      started.push(item);
      if (item === 2) throw new Error('429');
      await new Promise((resolve) => setTimeout(resolve, 20));
      finished.push(item);
      return item;
    });
    await expect(outcome).rejects.toThrow('429');
    // 1 and 3 were in flight when 2 failed: they finished before the failure was thrown.
    expect(started).toEqual([1, 2, 3]);
    expect(finished.sort()).toEqual([1, 3]);
  });

  it('makes no call for no items', async () => {
    expect(await mapInLanes([], 4, async () => 1)).toEqual([]);
  });
});

describe('inLanes', () => {
  it('tells every lane to stop taking work once one fails', async () => {
    let taken = 0;
    const outcome = inLanes(4, async (stopped) => {
      while (!stopped()) {
        taken++;
        if (taken === 6) throw new Error('every input failed');
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    await expect(outcome).rejects.toThrow('every input failed');
    // The other three lanes were waiting between two takes: none took another.
    expect(taken).toBe(6);
  });
});

describe('settled', () => {
  it('waits for every promise before it throws the first failure', async () => {
    let slowDone = false;
    const slow = new Promise((resolve) =>
      setTimeout(() => {
        slowDone = true;
        resolve('late');
      }, 30),
    );
    await expect(settled([Promise.reject(new Error('first')), slow])).rejects.toThrow('first');
    expect(slowDone).toBe(true);
  });

  it('returns every value, typed per position', async () => {
    const [text, number] = await settled([Promise.resolve('a'), Promise.resolve(1)]);
    expect(`${text}${number + 1}`).toBe('a2');
  });
});

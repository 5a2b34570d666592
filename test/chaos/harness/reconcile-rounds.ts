import type { ChaosStack } from './chaos-stack.ts';

const ROUNDS = 4;

/** What one `closeloop reconcile` line says it fixed ("… 12 checked, 3 fixed (…)"). */
function fixedIn(lines: readonly string[]): number {
  return lines.reduce((sum, line) => sum + Number(line.match(/ (\d+) fixed/)?.[1] ?? 0), 0);
}

/**
 * `closeloop reconcile` and `closeloop reconcile --ids`, then settled, as often as a round still
 * fixes something (the scheduled sweeps do the same, every interval). A sweep looks at records
 * modified up to its start: a record the write-back touches while it runs waits for the next one.
 */
export async function reconcileUntilQuiet(stack: ChaosStack, settle: () => Promise<unknown>) {
  const fixed: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const output = [await stack.cli(['reconcile']), await stack.cli(['reconcile', '--ids'])].join('\n');
    const lines = output.split('\n').filter((line) => line.startsWith('reconcile ('));
    await settle();
    fixed.push(fixedIn(lines));
    if (fixed[fixed.length - 1] === 0) break;
  }
  return { fixed, summary: `reconcile rounds fixed ${fixed.join(', ')}` };
}

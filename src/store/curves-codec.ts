import { CURVE_STEPS, type DailyCurves } from '../core/score-curves.ts';

/**
 * Daily curves as stored: won and lost in whole steps of 1 / CURVE_STEPS (the curves are rounded to
 * them), each array as the change from the day before. Incidence curves only rise and the
 * informative counts move by a few leads a day, so 900 days are mostly zeros and short numbers:
 * the statistics job writes every campaign's curves on every run, and the score job reads them.
 */
interface StoredCurves {
  readonly w: number[];
  readonly l: number[];
  readonly i: number[];
  readonly r: number;
}

function changes(values: readonly number[], steps: number): number[] {
  const encoded: number[] = [];
  let previous = 0;
  for (const value of values) {
    const current = Math.round(value * steps);
    encoded.push(current - previous);
    previous = current;
  }
  return encoded;
}

function totals(encoded: readonly number[], steps: number): number[] {
  let current = 0;
  return encoded.map((change) => {
    current += change;
    return current / steps;
  });
}

export function encodeCurves(curves: readonly DailyCurves[]): string {
  return JSON.stringify(
    curves.map(
      (curve): StoredCurves => ({
        w: changes(curve.won, CURVE_STEPS),
        l: changes(curve.lost, CURVE_STEPS),
        i: changes(curve.informative, 1),
        r: curve.reliableUntil,
      }),
    ),
  );
}

/** The curves as saved; also the plain JSON that statistics saved before this encoding. */
export function decodeCurves(text: string): DailyCurves[] {
  return (JSON.parse(text) as (StoredCurves | DailyCurves)[]).map((stored) =>
    'won' in stored
      ? stored
      : {
          won: totals(stored.w, CURVE_STEPS),
          lost: totals(stored.l, CURVE_STEPS),
          informative: totals(stored.i, 1),
          reliableUntil: stored.r,
        },
  );
}

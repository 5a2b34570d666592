import { z } from 'zod';

/**
 * How big a run is: `quick` (CI: every scenario on a few hundred events, the whole suite in a few
 * minutes on two cores), `full` (thousands of events per scenario) or `soak`. `npm run test:chaos`
 * passes it to the scenario files in CHAOS_MODE.
 */
export const MODES = ['quick', 'full', 'soak'] as const;
export type Mode = (typeof MODES)[number];

export const mode: Mode = z
  .enum(MODES)
  .default('full')
  .parse(process.env.CHAOS_MODE || undefined);

export interface Size {
  /** Leads in the portal before closeloop is installed. */
  readonly leads: number;
  /** Live operations during the scenario, and how fast the portal's users make them. */
  readonly operations: number;
  readonly perSecond: number;
  /** Longest a settle may take before the scenario fails. */
  readonly settleMs: number;
}

export const size: Size =
  mode === 'quick'
    ? { leads: 300, operations: 240, perSecond: 60, settleMs: 150_000 }
    : { leads: 2000, operations: 2000, perSecond: 50, settleMs: 400_000 };

/** How long vitest lets one scenario run, setup and checks included. */
export const SCENARIO_TIMEOUT_MS = mode === 'quick' ? 240_000 : 1_200_000;

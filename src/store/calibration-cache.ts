import type { Redis } from 'ioredis';
import { type Calibration, calibrate } from '../core/calibration.ts';
import type { LeadFigures } from '../core/lead-figures.ts';
import { liveProjection } from './live.ts';

/** A back-test is a full recomputation as of H days ago: kept for this long, then redone on request. */
export const CALIBRATION_TTL_SECONDS = 6 * 3600;

/**
 * The lead score's back-test for the live generation: the cached one while fresh, otherwise
 * computed from every lead's figures and cached. Undefined before setup.
 */
export async function calibration(
  redis: Redis,
  prefix: string,
  now: number,
  horizonDays: number,
): Promise<(Calibration & { computedAt: number }) | undefined> {
  const live = await liveProjection(redis, prefix);
  if (!live) return undefined;
  const { view } = live;
  const cached = await redis.get(view.keys.calibration);
  if (cached) return JSON.parse(cached) as Calibration & { computedAt: number };
  const leads = new Map<string, LeadFigures>();
  for await (const slice of view.scanLeads()) for (const [id, lead] of slice) leads.set(id, lead);
  const result = { ...calibrate([...leads.values()], now, horizonDays), computedAt: now };
  await redis.set(view.keys.calibration, JSON.stringify(result), 'EX', CALIBRATION_TTL_SECONDS);
  return result;
}

import type { Redis } from 'ioredis';
import type { ProjectionKeys } from './keys.ts';

/**
 * How the projection stores records and figures (buckets.ts, record-codec.ts,
 * lead-figures-codec.ts). Part of every generation's meaning (config.ts' meaningOf), so a
 * generation in an older layout is rebuilt when `work` starts; until the rebuild swaps in, the
 * old one cannot be read at all.
 */
export const PROJECTION_LAYOUT = 3;

/** Whether the generation can be read: built in this layout, or not stamped yet (being built or new). */
export async function readableLayout(redis: Redis, keys: ProjectionKeys): Promise<boolean> {
  const meaning = await redis.get(keys.meaning);
  if (meaning === null) return true;
  const { figuresLayout } = JSON.parse(meaning) as { figuresLayout?: number };
  return figuresLayout === PROJECTION_LAYOUT;
}

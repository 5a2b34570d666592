import type { Redis } from 'ioredis';
import { z } from 'zod';
import { scanKeys } from '../redis.ts';
import type { PortalKeys } from './keys.ts';
import { lease } from './lock.ts';

export const BACKFILL_PHASES = ['contacts', 'deals', 'associations', 'figures', 'swap'] as const;

const stateSchema = z.object({
  generation: z.number(),
  phase: z.enum(BACKFILL_PHASES),
  /** HubSpot's `after` (list phases) or the next bucket of contacts (later phases). */
  cursor: z.string().optional(),
  counts: z.record(z.string(), z.number()),
  reason: z.string(),
  /** The settings and layout (config.ts' meaningOf) the generation is built under; older states lack it. */
  meaning: z.string().optional(),
});
export type BackfillState = z.infer<typeof stateSchema>;

/** Progress of a rebuild, saved after every page so an interrupted backfill resumes where it stopped. */
export function backfillState(redis: Redis, keys: PortalKeys) {
  const key = `${keys.base}:backfill:state`;
  const lock = `${keys.base}:backfill:lock`;
  return {
    async load(): Promise<BackfillState | undefined> {
      const raw = await redis.get(key);
      return raw ? stateSchema.parse(JSON.parse(raw)) : undefined;
    },
    save: (state: BackfillState) => redis.set(key, JSON.stringify(state)).then(() => undefined),
    clear: () => redis.del(key).then(() => undefined),
    /** One backfill at a time per portal. */
    lease: (holder: string, ttlMs: number) => lease(redis, lock, holder, ttlMs),
  };
}

/** Deletes every key of a generation (after a swap, or a rebuild starting over). */
export async function dropGeneration(redis: Redis, keys: PortalKeys, generation: number): Promise<void> {
  for await (const found of scanKeys(redis, `${keys.base}:g${generation}:*`)) await redis.unlink(...found);
}

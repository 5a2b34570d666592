import type { Redis } from 'ioredis';
import type { PortalSettings } from '../hubspot/portal.ts';
import { type PortalKeys, portalKeys } from './keys.ts';
import { loadPortalSettings } from './portal-state.ts';
import { type Projection, projection } from './projection.ts';

export interface LiveProjection {
  readonly portal: PortalSettings;
  readonly keys: PortalKeys;
  readonly view: Projection;
}

/** The set-up portal and the live generation of its projection; undefined before setup. */
export async function liveProjection(redis: Redis, prefix: string): Promise<LiveProjection | undefined> {
  const portal = await loadPortalSettings(redis, prefix);
  if (!portal) return undefined;
  const keys = portalKeys(prefix, portal.portalId);
  const generation = Number((await redis.get(keys.generation)) ?? '1');
  return { portal, keys, view: projection(redis, keys.projection(generation)) };
}

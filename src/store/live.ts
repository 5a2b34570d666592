import type { Redis } from 'ioredis';
import { UnavailableError } from '../errors.ts';
import type { PortalSettings } from '../hubspot/portal.ts';
import { type PortalKeys, portalKeys } from './keys.ts';
import { readableLayout } from './layout.ts';
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
  if (!(await readableLayout(redis, keys.projection(generation))))
    throw new UnavailableError('The projection is being rebuilt in a new layout; try again in a few minutes');
  return { portal, keys, view: projection(redis, keys.projection(generation)) };
}

import type { Redis } from 'ioredis';
import { type PortalSettings, portalSettingsSchema } from '../hubspot/portal.ts';
import { portalSettingsKey } from './keys.ts';

/** The portal settings `setup` detected, shared with every process. */
export async function loadPortalSettings(redis: Redis, prefix: string): Promise<PortalSettings | undefined> {
  const raw = await redis.get(portalSettingsKey(prefix));
  return raw ? portalSettingsSchema.parse(JSON.parse(raw)) : undefined;
}

export async function savePortalSettings(
  redis: Redis,
  prefix: string,
  settings: PortalSettings,
): Promise<void> {
  await redis.set(portalSettingsKey(prefix), JSON.stringify(settings));
}

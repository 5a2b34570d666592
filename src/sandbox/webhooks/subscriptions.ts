import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { ObjectTypeName } from '../object-types.ts';
import type { CrmChange } from './crm-change.ts';

const crmObjectSchema = z.object({
  subscriptionType: z.string(),
  objectType: z.string().optional(),
  objectName: z.string().optional(),
  propertyName: z.string().optional(),
  active: z.boolean().default(true),
});

const legacySchema = z.object({
  subscriptionType: z.string(),
  propertyName: z.string().optional(),
  active: z.boolean().default(true),
});

export const subscriptionsFileSchema = z.object({
  crmObjects: z.array(crmObjectSchema).default([]),
  legacyCrmObjects: z.array(legacySchema).default([]),
  hubEvents: z.array(legacySchema).default([]),
});

const hsmetaSchema = z.object({
  config: z.object({
    settings: z
      .object({ maxConcurrentRequests: z.number().int().positive().default(10) })
      .partial()
      .default({}),
    subscriptions: subscriptionsFileSchema,
  }),
});

export type Subscription = {
  /** Stable across restarts and reorderings: derived from what the subscription listens to. */
  id: number;
  /** As sent in the payload: `object.creation` (generic) or `contact.creation` (legacy). */
  subscriptionType: string;
  kind: CrmChange['kind'];
  objectType: ObjectTypeName;
  propertyName: string | undefined;
  generic: boolean;
};

export type WebhookSettings = { subscriptions: Subscription[]; maxConcurrentRequests: number };

const KINDS = new Set([
  'creation',
  'deletion',
  'merge',
  'restore',
  'propertyChange',
  'associationChange',
  'privacyDeletion',
]);
const OBJECT_NAMES: Record<string, ObjectTypeName> = { contact: 'contacts', deal: 'deals' };

function stableId(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return 1_000_000 + (hash % 9_000_000);
}

function make(
  subscriptionType: string,
  objectName: string | undefined,
  kind: string,
  propertyName: string | undefined,
  generic: boolean,
): Subscription | undefined {
  const objectType = OBJECT_NAMES[(objectName ?? '').toLowerCase()];
  if (!objectType || !KINDS.has(kind)) return undefined;
  const key = `${subscriptionType}|${objectType}|${propertyName ?? ''}`;
  return {
    id: stableId(key),
    subscriptionType,
    kind: kind as CrmChange['kind'],
    objectType,
    propertyName,
    generic,
  };
}

export function parseSubscriptions(raw: unknown): Subscription[] {
  const file = subscriptionsFileSchema.parse(raw);
  const out: (Subscription | undefined)[] = [];
  for (const s of file.crmObjects.filter((s) => s.active)) {
    const [prefix, kind = ''] = s.subscriptionType.split('.');
    if (prefix === 'object')
      out.push(make(s.subscriptionType, s.objectType ?? s.objectName, kind, s.propertyName, true));
  }
  for (const s of [...file.legacyCrmObjects, ...file.hubEvents].filter((s) => s.active)) {
    const [objectName, kind = ''] = s.subscriptionType.split('.');
    out.push(make(s.subscriptionType, objectName, kind, s.propertyName, false));
  }
  return out.filter((s): s is Subscription => s !== undefined);
}

/** Reads the project's `webhooks-hsmeta.json` (or a bare `subscriptions` object given inline). */
export function loadWebhookSettings(path: string, inline: unknown): WebhookSettings {
  if (inline !== undefined) return { subscriptions: parseSubscriptions(inline), maxConcurrentRequests: 10 };
  const file = hsmetaSchema.parse(JSON.parse(readFileSync(resolve(path), 'utf8')));
  return {
    subscriptions: parseSubscriptions(file.config.subscriptions),
    maxConcurrentRequests: Math.min(10, file.config.settings.maxConcurrentRequests ?? 10),
  };
}

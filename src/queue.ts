import { z } from 'zod';

/**
 * Job contracts between the doors: what the webhook receiver enqueues and the workers consume.
 * Jobs carry HubSpot ids only — never tokens, secrets, property values or personal data — so a
 * job in Redis or in a log reveals nothing about a person.
 */

export const QUEUE_NAMES = {
  events: 'events',
  sync: 'sync',
  score: 'score',
  writeback: 'writeback',
  stats: 'stats',
  backfill: 'backfill',
  reconcile: 'reconcile',
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

export const objectKindSchema = z.enum(['contact', 'deal']);
export type ObjectKind = z.infer<typeof objectKindSchema>;

const id = z.string().regex(/^\d{1,20}$/);

/** What an event means to closeloop: a hint to re-read something, never the truth about it. */
export const changeEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('changed'), portal: z.number(), object: objectKindSchema, id, at: z.number() }),
  z.object({ kind: z.literal('deleted'), portal: z.number(), object: objectKindSchema, id, at: z.number() }),
  z.object({
    kind: z.literal('privacyDeleted'),
    portal: z.number(),
    object: z.literal('contact'),
    id,
    at: z.number(),
  }),
  z.object({
    kind: z.literal('merged'),
    portal: z.number(),
    object: objectKindSchema,
    survivorId: id,
    mergedIds: z.array(id),
    at: z.number(),
  }),
  z.object({
    kind: z.literal('associationChanged'),
    portal: z.number(),
    contactId: id,
    dealId: id,
    removed: z.boolean(),
    at: z.number(),
  }),
]);
export type ChangeEvent = z.infer<typeof changeEventSchema>;

/** One job per webhook delivery. */
export const deliveryJobSchema = z
  .object({
    receivedAt: z.number(),
    events: z.array(changeEventSchema).min(1),
    /** HubSpot's identities of the events, in order, for the job to claim them (none: no deduplication). */
    keys: z.array(z.string()).optional(),
  })
  .refine((job) => job.keys === undefined || job.keys.length === job.events.length, {
    message: 'keys must match events one to one',
  });
export type DeliveryJob = z.infer<typeof deliveryJobSchema>;

export const DELIVERY_JOB_NAME = 'delivery';

/** Completed jobs are kept briefly for inspection; failures long enough for someone to look. */
export const DELIVERY_JOB_OPTIONS = {
  attempts: 12,
  backoff: { type: 'closeloop' },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
} as const;

/** Work jobs carry the portal only: what to do is in Redis (pending ids, outbox), never in the job. */
export const portalJobSchema = z.object({ portal: z.number() });
export type PortalJob = z.infer<typeof portalJobSchema>;

export const backfillJobSchema = z.object({ portal: z.number(), reason: z.string() });
export type BackfillJob = z.infer<typeof backfillJobSchema>;

/** The two reconcile sweeps, as job names on the reconcile queue (each run by a job scheduler). */
export const RECONCILE_SWEEPS = ['recent', 'ids'] as const;
export const reconcileJobSchema = z.object({ portal: z.number() });

export function reconcileSchedulerId(sweep: (typeof RECONCILE_SWEEPS)[number]): string {
  return `reconcile-${sweep}`;
}

/**
 * At most one of each runs at a time per portal, and one more waits (BullMQ's keepLastIfActive):
 * every add after the waiting one is absorbed by it, so a burst of events costs one run.
 * Delays: sync gathers a moment of events; statistics a second of changes (they read every
 * lead); score and write-back follow.
 */
export type SingleFlightKind = 'sync' | 'score' | 'writeback' | 'stats';

export const SINGLE_FLIGHT_DELAYS_MS: Readonly<Record<SingleFlightKind, number>> = {
  sync: 100,
  score: 500,
  writeback: 0,
  // Statistics read every lead: gather a moment of changes per run; a burst costs one run.
  stats: 1000,
};

export function singleFlight(kind: SingleFlightKind, portal: number) {
  return {
    delay: SINGLE_FLIGHT_DELAYS_MS[kind],
    deduplication: { id: `${kind}:${portal}`, keepLastIfActive: true },
    attempts: 20,
    // The worker's backoff strategy: exponential with jitter, never under what HubSpot asked.
    backoff: { type: 'closeloop' },
    removeOnComplete: { count: 100 },
    removeOnFail: { age: 14 * 24 * 3600 },
  } as const;
}

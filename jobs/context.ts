import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../src/config.ts';
import type { FigureSettings } from '../src/core/lead-figures.ts';
import { TransientError } from '../src/errors.ts';
import type { HubSpotHttp } from '../src/hubspot/http.ts';
import type { PortalSettings } from '../src/hubspot/portal.ts';
import type { Logger } from '../src/logger.ts';
import { type SingleFlightKind, singleFlight } from '../src/queue.ts';
import { type PortalKeys, portalKeys } from '../src/store/keys.ts';
import { readableLayout } from '../src/store/layout.ts';
import { loadPortalSettings } from '../src/store/portal-state.ts';
import { type Projection, projection } from '../src/store/projection.ts';

/** What every job gets besides its payload (graphile-worker's helpers). */
export interface JobContext {
  readonly redis: Redis;
  readonly http: HubSpotHttp;
  readonly config: Config;
  readonly logger: Logger;
  readonly now: () => number;
  readonly schedule: (kind: SingleFlightKind, portal: number) => Promise<void>;
}

/** Queues to wake work in; jobs find what to do in Redis, so waking twice is harmless. */
export function scheduler(queues: Readonly<Record<SingleFlightKind, Queue>>): JobContext['schedule'] {
  return async (kind, portal) => {
    await queues[kind].add(kind, { portal }, singleFlight(kind, portal));
  };
}

/** The queues a CLI verb wakes work in (the workers of `closeloop work` run it); close them after. */
export function wakeQueues(redis: Redis, prefix: string): Record<SingleFlightKind, Queue> {
  const queue = (name: SingleFlightKind) => new Queue(name, { connection: redis, prefix });
  return { sync: queue('sync'), score: queue('score'), writeback: queue('writeback'), stats: queue('stats') };
}

export interface PortalScope {
  readonly portal: PortalSettings;
  readonly keys: PortalKeys;
  readonly generation: number;
  readonly projection: Projection;
  readonly figureSettings: FigureSettings;
}

/** Jobs wait (and retry) until an operator has run setup: events that arrive first are not lost. */
export class PortalNotSetUpError extends TransientError {
  constructor() {
    super('The portal is not set up: run `closeloop setup` first', { minDelayMs: 30_000 });
    this.name = 'PortalNotSetUpError';
  }
}

export async function currentGeneration(redis: Redis, keys: PortalKeys): Promise<number> {
  return Number((await redis.get(keys.generation)) ?? '1');
}

/**
 * The live projection is in a layout this version cannot read (after an upgrade): the rebuild
 * `work` starts on seeing it swaps in a readable one, and jobs that read the projection wait.
 */
export class ProjectionRebuildingError extends TransientError {
  constructor() {
    super('The projection is being rebuilt in a new layout', { minDelayMs: 30_000 });
    this.name = 'ProjectionRebuildingError';
  }
}

/**
 * The portal settings and the live generation of its projection (or the given one).
 * `anyLayout` is for the jobs that must run while an unreadable generation is live: the backfill
 * that replaces it, and sync, which holds its changes for the rebuild.
 */
export async function portalScope(
  context: JobContext,
  generation?: number,
  options: { anyLayout?: boolean } = {},
): Promise<PortalScope> {
  const portal = await loadPortalSettings(context.redis, context.config.redis.prefix);
  if (!portal) throw new PortalNotSetUpError();
  const keys = portalKeys(context.config.redis.prefix, portal.portalId);
  const live = generation ?? (await currentGeneration(context.redis, keys));
  if (!options.anyLayout && !(await readableLayout(context.redis, keys.projection(live))))
    throw new ProjectionRebuildingError();
  return {
    portal,
    keys,
    generation: live,
    projection: projection(context.redis, keys.projection(live)),
    figureSettings: {
      pipelines: context.config.metrics.pipelines,
      stageOrder: portal.stageOrder,
      recordedStages: Object.keys(portal.stageDateProperties),
      attribution: context.config.metrics.attribution,
    },
  };
}

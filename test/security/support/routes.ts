import { Queue } from 'bullmq';
import express from 'express';
import type { Config } from '../../../src/config.ts';
import { liveUpdates } from '../../../src/http/live-updates.ts';
import { createLogger } from '../../../src/logger.ts';
import { createMetrics } from '../../../src/metrics.ts';
import { connectRedis } from '../../../src/redis.ts';
import { mountRoutes, type RouteDeps } from '../../../src/serve-routes.ts';
import { WEBHOOK_PATH } from '../../../webhooks/receiver.ts';

export interface Door {
  readonly method: string;
  /** A concrete path: parameters filled in, a mounted folder given a file name. */
  readonly path: string;
  /** The pattern it came from, for messages. */
  readonly pattern: string;
}

/** Where `serve` mounts middleware below the root; a mount the walk cannot place fails it. */
const KNOWN_MOUNTS = ['/admin/queues', '/assets', '/static', '/api', '/metrics'];

interface Layer {
  readonly name: string;
  readonly slash: boolean;
  readonly route?: { path: string | string[]; methods: Record<string, boolean> };
  readonly handle: { stack?: Layer[]; router?: { stack: Layer[] } };
  readonly matchers: Array<(path: string) => unknown>;
}

function concrete(pattern: string): string {
  return pattern.replace(/:(\w+)/g, 'x1').replace(/\{?\/?\*\w+\}?/g, '/a/b');
}

function mountOf(layer: Layer): string {
  const mount = KNOWN_MOUNTS.find((candidate) => layer.matchers.some((match) => match(`${candidate}/probe`)));
  if (!mount)
    throw new Error(`A middleware (${layer.name}) is mounted where this walk does not know: add its path`);
  return mount;
}

function walk(stack: readonly Layer[], prefix: string, doors: Door[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const method of Object.keys(layer.route.methods))
        for (const path of paths) {
          const pattern = `${prefix}${path === '/' && prefix ? '' : path}` || '/';
          doors.push({ method: method.toUpperCase(), path: concrete(pattern), pattern });
        }
      continue;
    }
    const mount = layer.slash ? '' : mountOf(layer);
    const inner = layer.handle.stack ?? layer.handle.router?.stack;
    if (inner) walk(inner, `${prefix}${mount}`, doors);
    // Middleware that answers by itself below a mount (static files) is a door too.
    else if (mount && layer.name === 'serveStatic')
      doors.push({ method: 'GET', path: `${prefix}${mount}/styles.css`, pattern: `${prefix}${mount}/*` });
  }
}

/**
 * Every door `serve` opens, read from the routes it really mounts (not from a list kept by hand),
 * so a route added later is checked without anyone remembering to.
 */
export async function doorsOf(config: Config & RouteDeps['config']): Promise<Door[]> {
  const redis = connectRedis(config.redis, 'web');
  const queue = new Queue('events', { connection: redis, prefix: config.redis.prefix });
  const live = liveUpdates(redis, config.redis.prefix, createLogger({ level: 'silent' }));
  try {
    const app = express();
    const metrics = createMetrics();
    mountRoutes(app, {
      config,
      redis,
      queue,
      queues: [queue],
      metrics,
      live,
      accepting: () => true,
      logger: createLogger({ level: 'silent' }),
      now: Date.now,
    });
    // The webhook receiver is served ahead of the app, not mounted on it.
    const doors: Door[] = [{ method: 'POST', path: WEBHOOK_PATH, pattern: WEBHOOK_PATH }];
    walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '', doors);
    return doors;
  } finally {
    await live.close();
    await queue.close();
    redis.disconnect();
  }
}

import { Router } from 'express';
import type { Redis } from 'ioredis';
import { deadline } from '../deadline.ts';

export interface HealthOptions {
  readonly redis: Redis;
  /** False once shutdown has begun, so the load balancer stops sending traffic first. */
  readonly accepting: () => boolean;
  readonly timeoutMs?: number;
}

/** `/healthz`: the process answers. `/readyz`: it can do its job (Redis answers, not draining). */
export function healthRouter(options: HealthOptions): Router {
  const router = Router();
  const timeoutMs = options.timeoutMs ?? 500;
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (!options.accepting()) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    const redis = await deadline(options.redis.ping(), timeoutMs, () => new Error('timeout')).then(
      () => 'ok',
      () => 'unreachable',
    );
    res.status(redis === 'ok' ? 200 : 503).json({ status: redis === 'ok' ? 'ready' : 'not ready', redis });
  });
  return router;
}

import { Router } from 'express';
import type { Registry } from 'prom-client';

export function metricsRouter(metrics: { readonly registry: Registry }): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}

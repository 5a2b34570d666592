import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';
import { requireSession } from '../session.ts';

const ASSETS = join(import.meta.dirname, 'assets');
// chart.js exports no subpath for its UMD build: find it beside the package's main file.
const CHART_JS = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.js');

/**
 * The dashboard: static pages and scripts served by closeloop itself (no CDN, works offline),
 * Chart.js from npm. Everything but the login page needs the dashboard token when it is set.
 */
export function dashboardRouter(token: string | undefined): Router {
  const router = Router();
  const page = (file: string) => async (_req: express.Request, res: express.Response) => {
    res.type('html').send(await readFile(join(ASSETS, file), 'utf8'));
  };
  router.get('/login', page('login.html'));
  router.get('/login.js', (_req, res) => res.sendFile(join(ASSETS, 'login.js')));
  router.get('/login.css', (_req, res) => res.sendFile(join(ASSETS, 'login.css')));
  const session = requireSession(token, { loginRedirect: true });
  router.get('/', session, page('index.html'));
  router.get('/campaigns/:campaign', session, page('campaign.html'));
  router.get('/assets/vendor/chart.umd.js', session, (_req, res) => res.sendFile(CHART_JS));
  router.use('/assets', session, express.static(ASSETS, { index: false, maxAge: '5m' }));
  return router;
}

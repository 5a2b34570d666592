import express, { type Request, Router } from 'express';
import { z } from 'zod';
import { lagCurves } from '../core/lag-stats.ts';
import type { SpendPeriod } from '../core/spend.ts';
import { BadRequestError, NotFoundError, UnavailableError } from '../errors.ts';
import { parseSpendBody } from '../spend-input.ts';
import type { Cohort, ReportSource } from '../store/report-source.ts';
import { type CampaignJson, campaignRows, campaignsCsv } from './campaign-json.ts';

export interface ApiOptions {
  readonly source: (cohort: Cohort) => Promise<ReportSource | undefined>;
  readonly calibration: () => Promise<unknown | undefined>;
  readonly saveSpend: (campaign: string, periods: SpendPeriod[]) => Promise<void>;
  readonly loadSpend: (campaign: string) => Promise<readonly SpendPeriod[]>;
  readonly horizonDays: number;
  readonly now: () => number;
}

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .transform((value) => Date.parse(`${value}T00:00:00Z`))
  .refine((value) => !Number.isNaN(value), 'is not a real date');

const cohortQuery = z
  .object({ from: day.optional(), to: day.optional() })
  .refine(
    (query) => query.from === undefined || query.to === undefined || query.from <= query.to,
    '"to" is before "from"',
  );

/** `?from=&to=` as lead dates, `to` inclusive. */
function cohortOf(req: Request): Cohort {
  const parsed = cohortQuery.safeParse({ from: req.query.from, to: req.query.to });
  if (!parsed.success)
    throw new BadRequestError(
      `Invalid cohort: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'query'} ${i.message}`).join('; ')}`,
    );
  return {
    from: parsed.data.from,
    to: parsed.data.to === undefined ? undefined : parsed.data.to + 86_400_000,
  };
}

async function campaigns(
  options: ApiOptions,
  cohort: Cohort,
): Promise<{ rows: CampaignJson[]; source: ReportSource }> {
  const source = await options.source(cohort);
  if (!source) throw new UnavailableError('No figures yet: run `closeloop setup` and `closeloop backfill`');
  return { rows: campaignRows(source, cohort, options.horizonDays), source };
}

/** The JSON and CSV API over the campaign figures, and spend input. */
export function apiRouter(options: ApiOptions): Router {
  const router = Router();
  router.get('/api/campaigns', async (req, res) => {
    res.json((await campaigns(options, cohortOf(req))).rows);
  });
  router.get('/api/campaigns.csv', async (req, res) => {
    // Figures first: an error must not go out typed as a CSV attachment.
    const { rows } = await campaigns(options, cohortOf(req));
    res.type('text/csv').attachment('campaigns.csv');
    res.send(campaignsCsv(rows));
  });
  router.get('/api/campaigns/:campaign', async (req, res) => {
    const cohort = cohortOf(req);
    const { rows, source } = await campaigns(options, cohort);
    const found = rows.find((row) => row.campaign === req.params.campaign);
    if (!found) throw new NotFoundError('No such campaign');
    const curves = lagCurves(await source.leadsOf(found.campaign), options.now(), options.horizonDays);
    res.json({ ...found, closeCurve: curves.close, opportunityCurve: curves.opportunity });
  });
  router.get('/api/calibration', async (_req, res) => {
    const result = await options.calibration();
    if (!result) throw new UnavailableError('No figures yet: run `closeloop setup` and `closeloop backfill`');
    res.json(result);
  });
  router.get('/api/campaigns/:campaign/spend', async (req, res) => {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const periods = await options.loadSpend(req.params.campaign);
    res.json(
      periods.map((period) => ({
        from: day(period.from),
        to: day(period.to - 86_400_000),
        amount: period.amount,
      })),
    );
  });
  router.put('/api/campaigns/:campaign/spend', express.json({ limit: '1mb' }), async (req, res) => {
    const periods = parseSpendBody(req.body);
    await options.saveSpend(req.params.campaign as string, periods);
    res.status(204).end();
  });
  return router;
}

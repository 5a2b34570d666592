import { stringify } from 'csv-stringify/sync';
import { Router } from 'express';
import type { CampaignTotals } from '../core/campaign-figures.ts';
import { campaignFigures } from '../core/campaign-figures.ts';
import { overallCloseRate } from '../core/campaign-values.ts';
import { NotFoundError, UnavailableError } from '../errors.ts';
import { type CampaignJson, campaignJson, flatten } from './campaign-json.ts';

export interface ApiOptions {
  readonly totals: () => Promise<readonly CampaignTotals[] | undefined>;
}

const CSV_COLUMNS = [
  'campaign',
  'leads',
  'opportunities',
  'won',
  'lost',
  'open',
  'wonDeals',
  'revenue',
  'revenuePerLead',
  'alignmentIndex',
  ...['leadToOpportunity', 'leadToClose', 'opportunityToClose'].flatMap((name) =>
    ['rate', 'low', 'high'].map((part) => `${name}.${part}`),
  ),
  'shrunkCloseRate.rate',
  'shrunkCloseRate.weight',
];

async function campaigns(options: ApiOptions): Promise<CampaignJson[]> {
  const totals = await options.totals();
  if (!totals) throw new UnavailableError('No figures yet: run `closeloop setup` and `closeloop backfill`');
  const figures = campaignFigures(totals);
  const overall = overallCloseRate(figures);
  return figures
    .map((campaign) => campaignJson(campaign, overall))
    .sort((a, b) => b.leads - a.leads || a.campaign.localeCompare(b.campaign));
}

/** The JSON and CSV API over the campaign figures. */
export function apiRouter(options: ApiOptions): Router {
  const router = Router();
  router.get('/api/campaigns', async (_req, res) => {
    res.json(await campaigns(options));
  });
  router.get('/api/campaigns.csv', async (_req, res) => {
    const rows = (await campaigns(options)).map((campaign) => flatten(campaign));
    res.type('text/csv').attachment('campaigns.csv');
    res.send(
      stringify(rows, { header: true, columns: CSV_COLUMNS, cast: { number: (value) => String(value) } }),
    );
  });
  router.get('/api/campaigns/:campaign', async (req, res) => {
    const found = (await campaigns(options)).find((campaign) => campaign.campaign === req.params.campaign);
    if (!found) throw new NotFoundError('No such campaign');
    res.json(found);
  });
  return router;
}

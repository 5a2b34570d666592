import { z } from 'zod';
import { ATTRIBUTION_MODELS, campaignRevenue } from '../campaign-revenue.ts';
import type { BudgetLine, StoredCampaign } from '../campaign-store.ts';
import { notFound, validationError } from '../hubspot-errors.ts';
import { parseBody } from '../request-schemas.ts';
import { batchError, checkBatchSize, intParam, listParam, parseNumericId } from '../route-helpers.ts';
import type { ApiRequest, Route, SandboxContext } from '../sandbox-context.ts';
import { fixedScopes } from '../scopes.ts';
import { batchResponse } from './batch-routes.ts';

/** The Marketing Campaigns API subset closeloop reads (marketing-campaigns-v3.json). */
const BASE = '/marketing/v3/campaigns';
/** The scope every read endpoint of the API names in its `security`. */
const READ = fixedScopes('marketing.campaigns.read');
const PAGE_DEFAULT = 50;
const PAGE_MAX = 100;
/** The documented maximum of a campaigns batch read. */
const BATCH_READ_MAX = 50;

const READERS: Record<string, (c: StoredCampaign) => string | undefined> = {
  hs_name: (c) => c.name,
  hs_start_date: (c) => c.startDate,
  hs_end_date: (c) => c.endDate,
  hs_currency_code: (c) => c.currency,
  hs_budget_items_sum_amount: (c) => String(sum(c.budget)),
  hs_spend_items_sum_amount: (c) => String(sum(c.spend)),
};

function sum(lines: readonly BudgetLine[]): number {
  return lines.reduce((total, line) => total + line.amount, 0);
}

/**
 * HubSpot returns only the properties asked for, leaves out those without a value and ignores
 * names it does not know; businessUnits holds the default unit (id 0) in portals without the add-on.
 */
function campaignToJson(campaign: StoredCampaign, properties: readonly string[]) {
  const values: Record<string, string> = {};
  for (const name of properties) {
    const value = READERS[name]?.(campaign);
    if (value !== undefined && value !== '') values[name] = value;
  }
  return {
    id: campaign.id,
    properties: values,
    createdAt: new Date(campaign.createdAt).toISOString(),
    updatedAt: new Date(campaign.updatedAt).toISOString(),
    businessUnits: [{ id: 0 }],
  };
}

function lineToJson(line: BudgetLine) {
  const { id, name, amount, order, createdAt, updatedAt, description } = line;
  return { id, name, amount, order, createdAt, updatedAt, ...(description ? { description } : {}) };
}

function budgetTotals(campaign: StoredCampaign) {
  const budgetTotal = sum(campaign.budget);
  const spendTotal = sum(campaign.spend);
  return {
    budgetItems: campaign.budget.map(lineToJson),
    spendItems: campaign.spend.map(lineToJson),
    currencyCode: campaign.currency,
    budgetTotal,
    spendTotal,
    remainingBudget: budgetTotal - spendTotal,
  };
}

function afterParam(query: URLSearchParams): number {
  const raw = query.get('after');
  if (raw === null) return 0;
  const after = parseNumericId(raw);
  if (after === undefined) throw validationError(`after must be a cursor from a previous page, got ${raw}`);
  return after;
}

function list(ctx: SandboxContext, req: ApiRequest) {
  const limit = intParam(req.query, 'limit', PAGE_DEFAULT, PAGE_MAX);
  const page = ctx.crm.campaigns.page(afterParam(req.query), limit, req.query.get('name') || undefined);
  const properties = listParam(req.query, 'properties') ?? [];
  const next = page.next === undefined ? undefined : String(page.next);
  return {
    status: 200,
    body: {
      total: page.total,
      results: page.campaigns.map((c) => campaignToJson(c, properties)),
      ...(next ? { paging: { next: { after: next, link: `?after=${next}` } } } : {}),
    },
  };
}

const batchReadSchema = z.object({ inputs: z.array(z.object({ id: z.string() })) });

/** Repeated ids are read once, as documented; unknown ones come back as a 207 error. */
function batchRead(ctx: SandboxContext, req: ApiRequest) {
  const startedAt = ctx.clock.now();
  const input = parseBody(batchReadSchema, req.body);
  checkBatchSize(input.inputs.length, BATCH_READ_MAX);
  const properties = listParam(req.query, 'properties') ?? [];
  const results: unknown[] = [];
  const missing: string[] = [];
  for (const id of new Set(input.inputs.map((i) => i.id))) {
    const campaign = ctx.crm.campaigns.get(id);
    if (campaign) results.push({ ...campaignToJson(campaign, properties), assets: {} });
    else missing.push(id);
  }
  const message = 'Could not find some campaigns; check that the ids exist.';
  const errors = missing.length > 0 ? [batchError('OBJECT_NOT_FOUND', message, { ids: missing })] : [];
  return batchResponse(ctx, startedAt, 200, results, errors);
}

function requireCampaign(ctx: SandboxContext, req: ApiRequest): StoredCampaign {
  const guid = req.params.campaignGuid ?? '';
  const campaign = ctx.crm.campaigns.get(guid);
  if (!campaign) throw notFound(`Campaign ${guid} does not exist.`);
  return campaign;
}

function totals(ctx: SandboxContext, req: ApiRequest) {
  return { status: 200, body: budgetTotals(requireCampaign(ctx, req)) };
}

const revenueQuery = z.object({
  attributionModel: z.enum(ATTRIBUTION_MODELS).default('LINEAR'),
  startDate: z.iso.date().optional(),
  endDate: z.iso.date().optional(),
});

/** Deal revenue credited to the campaign; the dates bound the deals' close dates, both inclusive. */
function revenue(ctx: SandboxContext, req: ApiRequest) {
  const campaign = requireCampaign(ctx, req);
  const parsed = revenueQuery.safeParse(Object.fromEntries(req.query));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw validationError(`${issue?.path.join('.') ?? 'query'}: ${issue?.message ?? 'invalid'}`);
  }
  const { attributionModel, startDate, endDate } = parsed.data;
  const report = campaignRevenue(ctx.crm, campaign.id, {
    model: attributionModel,
    ...(startDate ? { from: Date.parse(startDate) } : {}),
    ...(endDate ? { to: Date.parse(endDate) + 86_400_000 } : {}),
  });
  return { status: 200, body: { ...report, currencyCode: ctx.options.currency } };
}

export const campaignRoutes: Route[] = [
  { method: 'GET', path: BASE, kind: 'api', scopes: READ, handler: list },
  { method: 'POST', path: `${BASE}/batch/read`, kind: 'api', scopes: READ, handler: batchRead },
  { method: 'GET', path: `${BASE}/:campaignGuid/budget/totals`, kind: 'api', scopes: READ, handler: totals },
  {
    method: 'GET',
    path: `${BASE}/:campaignGuid/reports/revenue`,
    kind: 'api',
    scopes: fixedScopes('marketing.campaigns.revenue.read'),
    handler: revenue,
  },
];

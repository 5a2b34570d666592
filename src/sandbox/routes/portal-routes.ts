import { errorBody, HubSpotError } from '../hubspot-errors.ts';
import { objectType } from '../object-types.ts';
import { DEAL_PIPELINES, findPipeline, pipelineToJson, stageToJson } from '../pipelines.ts';
import type { ApiRequest, Route, SandboxContext } from '../sandbox-context.ts';
import { objectRead, tokenOnly } from '../scopes.ts';

function dealPipelines(req: ApiRequest) {
  if (objectType(req.params.objectType ?? '').name !== 'deals') {
    throw new HubSpotError(
      400,
      errorBody('VALIDATION_ERROR', `Object type ${req.params.objectType} does not support pipelines.`),
    );
  }
  return DEAL_PIPELINES;
}

function pipeline(req: ApiRequest) {
  const found = dealPipelines(req) && findPipeline(req.params.pipelineId ?? '');
  if (!found)
    throw new HubSpotError(
      404,
      errorBody('OBJECT_NOT_FOUND', `Unable to find pipeline ${req.params.pipelineId}`),
    );
  return found;
}

/** The account's UTC offset right now on the sandbox clock, e.g. "-05:00" / -18000000. */
export function utcOffset(timeZone: string, at: number): { text: string; ms: number } {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(at))
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (!match) return { text: '+00:00', ms: 0 };
  const sign = match[1] === '-' ? -1 : 1;
  return {
    text: `${match[1]}${match[2]}:${match[3]}`,
    ms: sign * (Number(match[2]) * 3_600_000 + Number(match[3]) * 60_000),
  };
}

function accountDetails(ctx: SandboxContext) {
  const offset = utcOffset(ctx.options.timeZone, ctx.clock.now());
  return {
    status: 200,
    body: {
      portalId: ctx.options.portalId,
      accountType: 'STANDARD',
      timeZone: ctx.options.timeZone,
      companyCurrency: ctx.options.currency,
      additionalCurrencies: [],
      utcOffset: offset.text,
      utcOffsetMilliseconds: offset.ms,
      uiDomain: 'app.hubspot.com',
      dataHostingLocation: 'na1',
    },
  };
}

export const portalRoutes: Route[] = [
  {
    method: 'GET',
    path: '/crm/v3/pipelines/:objectType',
    kind: 'api',
    scopes: objectRead(),
    handler: (_ctx, req) => ({ status: 200, body: { results: dealPipelines(req).map(pipelineToJson) } }),
  },
  {
    method: 'GET',
    path: '/crm/v3/pipelines/:objectType/:pipelineId',
    kind: 'api',
    scopes: objectRead(),
    handler: (_ctx, req) => ({ status: 200, body: pipelineToJson(pipeline(req)) }),
  },
  {
    method: 'GET',
    path: '/crm/v3/pipelines/:objectType/:pipelineId/stages',
    kind: 'api',
    scopes: objectRead(),
    handler: (_ctx, req) => ({ status: 200, body: { results: pipeline(req).stages.map(stageToJson) } }),
  },
  {
    method: 'GET',
    path: '/account-info/v3/details',
    kind: 'api',
    scopes: tokenOnly,
    handler: accountDetails,
  },
];

import { z } from 'zod';
import { errorBody, HubSpotError } from '../hubspot-errors.ts';
import { objectType } from '../object-types.ts';
import { propertyToJson } from '../property-definitions.ts';
import type { PropertyRegistry } from '../property-registry.ts';
import { parseBody } from '../request-schemas.ts';
import { batchError, boolParam, checkBatchSize } from '../route-helpers.ts';
import type { ApiRequest, Route, SandboxContext } from '../sandbox-context.ts';
import { propertyRead, schemaWrite } from '../scopes.ts';
import { batchResponse } from './batch-routes.ts';

const optionSchema = z.object({
  label: z.string(),
  value: z.string(),
  hidden: z.boolean().default(false),
  displayOrder: z.number().int().optional(),
  description: z.string().optional(),
});

const propertyFields = {
  label: z.string().min(1),
  type: z.enum(['string', 'number', 'enumeration', 'bool', 'date', 'datetime', 'phone_number']),
  fieldType: z.string(),
  groupName: z.string(),
  description: z.string().optional(),
  options: z.array(optionSchema).optional(),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
  numberDisplayHint: z
    .enum(['currency', 'duration', 'formatted', 'percentage', 'probability', 'unformatted'])
    .optional(),
  showCurrencySymbol: z.boolean().optional(),
};

const createSchema = z.object({
  name: z.string().min(1),
  ...propertyFields,
  hasUniqueValue: z.boolean().optional(),
  externalOptions: z.boolean().optional(),
});

const patchSchema = z.object(propertyFields).partial();
const groupSchema = z.object({
  name: z.string().min(1),
  label: z.string().min(1),
  displayOrder: z.number().int().optional(),
});

function registry(ctx: SandboxContext, req: ApiRequest): PropertyRegistry {
  return ctx.crm.store(objectType(req.params.objectType ?? '')).registry;
}

function getAll(ctx: SandboxContext, req: ApiRequest) {
  const results = registry(ctx, req).list(boolParam(req.query, 'archived')).map(propertyToJson);
  return { status: 200, body: { results } };
}

function getOne(ctx: SandboxContext, req: ApiRequest) {
  const name = req.params.propertyName ?? '';
  const found = registry(ctx, req).get(name);
  if (!found) throw new HubSpotError(404, errorBody('OBJECT_NOT_FOUND', `Unable to find property ${name}`));
  return { status: 200, body: propertyToJson(found) };
}

function create(ctx: SandboxContext, req: ApiRequest) {
  const input = parseBody(createSchema, req.body);
  return { status: 201, body: propertyToJson(registry(ctx, req).create(input, ctx.clock.now())) };
}

/** Existing names fail one by one in a 207; the others are created. */
function batchCreate(ctx: SandboxContext, req: ApiRequest) {
  const startedAt = ctx.clock.now();
  const { inputs } = parseBody(z.object({ inputs: z.array(createSchema) }), req.body);
  checkBatchSize(inputs.length);
  const reg = registry(ctx, req);
  const results: unknown[] = [];
  const errors: ReturnType<typeof batchError>[] = [];
  for (const input of inputs) {
    try {
      results.push(propertyToJson(reg.create(input, ctx.clock.now())));
    } catch (error) {
      if (!(error instanceof HubSpotError) || error.status !== 409) throw error;
      errors.push(batchError('OBJECT_ALREADY_EXISTS', error.body.message, { name: [input.name] }));
    }
  }
  return batchResponse(ctx, startedAt, 201, results, errors);
}

function update(ctx: SandboxContext, req: ApiRequest) {
  const patch = parseBody(patchSchema, req.body);
  return {
    status: 200,
    body: propertyToJson(registry(ctx, req).update(req.params.propertyName ?? '', patch, ctx.clock.now())),
  };
}

function groups(ctx: SandboxContext, req: ApiRequest) {
  return { status: 200, body: { results: registry(ctx, req).groups() } };
}

function createGroup(ctx: SandboxContext, req: ApiRequest) {
  return { status: 201, body: registry(ctx, req).createGroup(parseBody(groupSchema, req.body)) };
}

const BASE = '/crm/v3/properties/:objectType';

export const propertyRoutes: Route[] = [
  { method: 'GET', path: `${BASE}/groups`, kind: 'api', scopes: propertyRead(), handler: groups },
  { method: 'POST', path: `${BASE}/groups`, kind: 'api', scopes: schemaWrite(), handler: createGroup },
  { method: 'POST', path: `${BASE}/batch/create`, kind: 'api', scopes: schemaWrite(), handler: batchCreate },
  { method: 'GET', path: BASE, kind: 'api', scopes: propertyRead(), handler: getAll },
  { method: 'POST', path: BASE, kind: 'api', scopes: schemaWrite(), handler: create },
  { method: 'GET', path: `${BASE}/:propertyName`, kind: 'api', scopes: propertyRead(), handler: getOne },
  { method: 'PATCH', path: `${BASE}/:propertyName`, kind: 'api', scopes: schemaWrite(), handler: update },
];

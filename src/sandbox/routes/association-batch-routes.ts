import { z } from 'zod';
import { associate, checkSpecs, disassociate } from '../association-writes.ts';
import { associationSpecSchema, parseBody } from '../request-schemas.ts';
import {
  batchError,
  checkBatchSize,
  faultedIndices,
  injectedFailure,
  lookupRecord,
} from '../route-helpers.ts';
import type { ApiRequest, Route, SandboxContext } from '../sandbox-context.ts';
import { associationRead, associationWrite } from '../scopes.ts';
import { associatedPage, defaultPair, labelsBetween, liveId, types } from './association-helpers.ts';
import { batchResponse } from './batch-routes.ts';

const id = z.union([z.string(), z.number()]).transform(String);
const readSchema = z.object({ inputs: z.array(z.object({ id, after: z.string().optional() })) });
const createSchema = z.object({
  inputs: z.array(
    z.object({ from: z.object({ id }), to: z.object({ id }), types: z.array(associationSpecSchema) }),
  ),
});
const defaultSchema = z.object({
  inputs: z.array(z.object({ from: z.object({ id }), to: z.object({ id }) })),
});
const archiveSchema = z.object({
  inputs: z.array(z.object({ from: z.object({ id }), to: z.array(z.object({ id })) })),
});

/** Batch reads take up to 1,000 ids; each input pages on its own `after`. */
const READ_LIMIT = 1_000;
const WRITE_LIMIT = 2_000;

function read(ctx: SandboxContext, req: ApiRequest) {
  const startedAt = ctx.clock.now();
  const [from, to] = types(req, 'fromObjectType');
  const { inputs } = parseBody(readSchema, req.body);
  checkBatchSize(inputs.length, READ_LIMIT);
  const failed = req.fault207 ? faultedIndices(ctx, inputs.length) : new Set<number>();
  const results: unknown[] = [];
  const errors: ReturnType<typeof batchError>[] = [];
  inputs.forEach((input, i) => {
    if (failed.has(i)) return;
    const record = lookupRecord(ctx, from, input.id);
    const offset = Number(input.after ?? '0') || 0;
    const page = record
      ? associatedPage(ctx, from, to, record.id, offset, ctx.options.associationPageSize)
      : undefined;
    if (!page || page.total === 0) {
      // HubSpot lists an id without associations as an error of the 207, not as an empty result.
      const message = `No ${to.name} are associated with ${from.singular} ${input.id}.`;
      errors.push(
        batchError(
          'OBJECT_NOT_FOUND',
          message,
          { fromObjectId: [input.id] },
          'crm.associations.NO_ASSOCIATIONS_FOUND',
        ),
      );
      return;
    }
    const paging = page.next ? { paging: { next: { after: page.next, link: `?after=${page.next}` } } } : {};
    results.push({ from: { id: String(record?.id) }, to: page.results, ...paging });
  });
  if (failed.size > 0) errors.push(injectedFailure([...failed].map((i) => inputs[i]?.id ?? '')));
  return batchResponse(ctx, startedAt, 200, results, errors);
}

function create(ctx: SandboxContext, req: ApiRequest) {
  const startedAt = ctx.clock.now();
  const [from, to] = types(req, 'fromObjectType');
  const { inputs } = parseBody(createSchema, req.body);
  checkBatchSize(inputs.length, WRITE_LIMIT);
  const pairs = inputs.map((input) => {
    checkSpecs(from, to, input.types);
    return [liveId(ctx, from, input.from.id), liveId(ctx, to, input.to.id)] as const;
  });
  const failed = req.fault207 ? faultedIndices(ctx, pairs.length) : new Set<number>();
  const results = pairs.flatMap(([a, b], i) => {
    if (failed.has(i)) return [];
    associate(ctx.crm, from, a, b, 'API');
    return [labelsBetween(from, a, to, b)];
  });
  const errors = failed.size > 0 ? [injectedFailure([...failed].map((i) => inputs[i]?.from.id ?? ''))] : [];
  return batchResponse(ctx, startedAt, 201, results, errors);
}

function createDefault(ctx: SandboxContext, req: ApiRequest) {
  const startedAt = ctx.clock.now();
  const [from, to] = types(req, 'fromObjectType');
  const { inputs } = parseBody(defaultSchema, req.body);
  checkBatchSize(inputs.length, WRITE_LIMIT);
  const pairs = inputs.map(
    (input) => [liveId(ctx, from, input.from.id), liveId(ctx, to, input.to.id)] as const,
  );
  const results = pairs.flatMap(([a, b]) => {
    associate(ctx.crm, from, a, b, 'API');
    return defaultPair(from, a, to, b);
  });
  return batchResponse(ctx, startedAt, 200, results, []);
}

function archive(ctx: SandboxContext, req: ApiRequest) {
  const [from, to] = types(req, 'fromObjectType');
  const { inputs } = parseBody(archiveSchema, req.body);
  checkBatchSize(inputs.length, WRITE_LIMIT);
  for (const input of inputs) {
    const a = lookupRecord(ctx, from, input.from.id);
    for (const target of input.to) {
      const b = lookupRecord(ctx, to, target.id);
      if (a && b) disassociate(ctx.crm, from, a.id, b.id, 'API');
    }
  }
  return { status: 204 };
}

const BASE = '/crm/v4/associations/:fromObjectType/:toObjectType/batch';
const READ = associationRead('fromObjectType', 'toObjectType');
const WRITE = associationWrite('fromObjectType');

export const associationBatchRoutes: Route[] = [
  { method: 'POST', path: `${BASE}/read`, kind: 'api', scopes: READ, partial: true, handler: read },
  { method: 'POST', path: `${BASE}/create`, kind: 'api', scopes: WRITE, partial: true, handler: create },
  { method: 'POST', path: `${BASE}/associate/default`, kind: 'api', scopes: WRITE, handler: createDefault },
  { method: 'POST', path: `${BASE}/archive`, kind: 'api', scopes: WRITE, handler: archive },
];

import { z } from 'zod';
import { associate, checkSpecs, disassociate } from '../association-writes.ts';
import { associationSpecSchema, parseBody } from '../request-schemas.ts';
import { batchTimes, intParam, lookupRecord } from '../route-helpers.ts';
import type { ApiRequest, Route, SandboxContext } from '../sandbox-context.ts';
import { associationRead, associationWrite } from '../scopes.ts';
import { associatedPage, defaultPair, labelsBetween, liveId, types } from './association-helpers.ts';

function createDefault(ctx: SandboxContext, req: ApiRequest) {
  const startedAt = ctx.clock.now();
  const [from, to] = types(req, 'fromObjectType');
  const fromId = liveId(ctx, from, req.params.fromObjectId ?? '');
  const toId = liveId(ctx, to, req.params.toObjectId ?? '');
  associate(ctx.crm, from, fromId, toId, 'API');
  return {
    status: 200,
    body: { status: 'COMPLETE', results: defaultPair(from, fromId, to, toId), ...batchTimes(ctx, startedAt) },
  };
}

function createLabelled(ctx: SandboxContext, req: ApiRequest) {
  const [from, to] = types(req);
  const specs = parseBody(z.array(associationSpecSchema), req.body);
  checkSpecs(from, to, specs);
  const fromId = liveId(ctx, from, req.params.objectId ?? '');
  const toId = liveId(ctx, to, req.params.toObjectId ?? '');
  associate(ctx.crm, from, fromId, toId, 'API');
  return { status: 201, body: labelsBetween(from, fromId, to, toId) };
}

function remove(ctx: SandboxContext, req: ApiRequest) {
  const [from, to] = types(req);
  const fromRecord = lookupRecord(ctx, from, req.params.objectId ?? '');
  const toRecord = lookupRecord(ctx, to, req.params.toObjectId ?? '');
  if (fromRecord && toRecord) disassociate(ctx.crm, from, fromRecord.id, toRecord.id, 'API');
  return { status: 204 };
}

function list(ctx: SandboxContext, req: ApiRequest) {
  const [from, to] = types(req);
  const record = lookupRecord(ctx, from, req.params.objectId ?? '');
  const limit = intParam(
    req.query,
    'limit',
    ctx.options.associationPageSize,
    ctx.options.associationPageSize,
  );
  const offset = Number(req.query.get('after') ?? '0') || 0;
  const page = record
    ? associatedPage(ctx, from, to, record.id, offset, limit)
    : { results: [], next: undefined };
  return {
    status: 200,
    body: {
      results: page.results,
      ...(page.next ? { paging: { next: { after: page.next, link: `?after=${page.next}` } } } : {}),
    },
  };
}

const OBJECT = '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType';
const WRITE = associationWrite('objectType');

export const associationRoutes: Route[] = [
  {
    method: 'PUT',
    path: '/crm/v4/objects/:fromObjectType/:fromObjectId/associations/default/:toObjectType/:toObjectId',
    kind: 'api',
    scopes: associationWrite('fromObjectType'),
    handler: createDefault,
  },
  { method: 'PUT', path: `${OBJECT}/:toObjectId`, kind: 'api', scopes: WRITE, handler: createLabelled },
  { method: 'DELETE', path: `${OBJECT}/:toObjectId`, kind: 'api', scopes: WRITE, handler: remove },
  {
    method: 'GET',
    path: OBJECT,
    kind: 'api',
    scopes: associationRead('objectType', 'toObjectType'),
    handler: list,
  },
];

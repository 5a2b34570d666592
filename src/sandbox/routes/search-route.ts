import { objectType } from '../object-types.ts';
import { recordToJson, selectProperties } from '../record-view.ts';
import { parseBody, searchSchema } from '../request-schemas.ts';
import type { ApiRequest, Route, SandboxContext } from '../sandbox-context.ts';
import { objectRead } from '../scopes.ts';
import { searchRecords } from '../search-records.ts';

function search(ctx: SandboxContext, req: ApiRequest) {
  const type = objectType(req.params.objectType ?? '');
  const store = ctx.crm.store(type);
  const request = parseBody(searchSchema, req.body);
  const found = searchRecords(store, request);
  const names = selectProperties(store, request.properties);
  const results = found.records.map((r) => recordToJson(store, r, names));
  const after = found.nextAfter === undefined ? undefined : String(found.nextAfter);
  return {
    status: 200,
    body: {
      total: found.total,
      results,
      ...(after ? { paging: { next: { after, link: `?after=${after}` } } } : {}),
    },
  };
}

export const searchRoutes: Route[] = [
  {
    method: 'POST',
    path: '/crm/v3/objects/:objectType/search',
    kind: 'search',
    scopes: objectRead(),
    handler: search,
  },
];

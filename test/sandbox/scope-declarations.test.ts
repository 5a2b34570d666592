import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Route } from '../../src/sandbox/sandbox-context.ts';
import { ROUTES } from '../../src/sandbox/start-sandbox.ts';

type Operation = { security?: { oauth2?: string[] }[] };
type Spec = { paths: Record<string, Record<string, Operation>> };

const SPECS = [
  'crm-contacts-v3',
  'crm-deals-v3',
  'crm-associations-v4',
  'crm-properties-v3',
  'crm-pipelines-v3',
  'marketing-campaigns-v3',
].map((name) => ({
  name,
  spec: JSON.parse(
    readFileSync(resolve(import.meta.dirname, 'hubspot-openapi', `${name}.json`), 'utf8'),
  ) as Spec,
}));

/** The deals file names its paths by type id, the contacts file by name. */
const TYPE_SPELLING = { contacts: 'contacts', deals: '0-3' } as const;
const TYPE_PARAMS = new Set(['objectType', 'fromObjectType', 'toObjectType']);

/** Concrete path parameters: the object-type ones as given, every other one a sample value. */
function paramsFor(route: Route, from: 'contacts' | 'deals'): Record<string, string> {
  const to = from === 'contacts' ? 'deals' : 'contacts';
  const params: Record<string, string> = {};
  for (const segment of route.path.split('/').filter((s) => s.startsWith(':'))) {
    const name = segment.slice(1);
    if (name === 'toObjectType') params[name] = TYPE_SPELLING[to];
    else params[name] = TYPE_PARAMS.has(name) ? TYPE_SPELLING[from] : '123';
  }
  return params;
}

function concretePath(route: Route, params: Record<string, string>): string {
  return route.path
    .split('/')
    .map((s) => (s.startsWith(':') ? (params[s.slice(1)] as string) : s))
    .join('/');
}

/** The documented operation a concrete call lands on: the template with the most literal segments. */
function findOperation(method: string, path: string) {
  const parts = path.split('/');
  let best: { file: string; template: string; operation: Operation; literals: number } | undefined;
  for (const { name, spec } of SPECS) {
    for (const [template, operations] of Object.entries(spec.paths)) {
      const operation = operations[method.toLowerCase()];
      const segments = template.split('/');
      if (!operation || segments.length !== parts.length) continue;
      if (!segments.every((s, i) => s.startsWith('{') || s === parts[i])) continue;
      const literals = segments.filter((s) => !s.startsWith('{')).length;
      if (!best || literals > best.literals) best = { file: name, template, operation, literals };
    }
  }
  return best;
}

describe('route scopes', () => {
  it('every declared scope is one the operation lists in its OpenAPI security', () => {
    const problems: string[] = [];
    const unmatched = new Set<string>();
    let checked = 0;
    for (const route of ROUTES) {
      if (route.kind === 'admin') continue;
      for (const from of ['contacts', 'deals'] as const) {
        const params = paramsFor(route, from);
        const path = concretePath(route, params);
        const found = findOperation(route.method, path);
        if (!found) {
          unmatched.add(`${route.method} ${path}`);
          continue;
        }
        const listed = new Set((found.operation.security ?? []).flatMap((s) => s.oauth2 ?? []));
        const declared = route.scopes(params).flat();
        if (declared.length === 0) problems.push(`${route.method} ${path}: declares no scope`);
        for (const scope of declared) {
          checked++;
          if (!listed.has(scope))
            problems.push(`${route.method} ${path} (${found.file} ${found.template}): ${scope}`);
        }
      }
    }
    expect(problems).toEqual([]);
    // Account details is not in the vendored files (it needs no scope); GDPR deletion is for
    // contacts only, so no deals operation exists (the sandbox answers 404 there).
    expect([...unmatched].sort()).toEqual([
      'GET /account-info/v3/details',
      'POST /crm/v3/objects/0-3/gdpr-delete',
    ]);
    expect(checked).toBeGreaterThan(60);
  });

  it('declares no scope for account details, which needs only a valid token', () => {
    const route = ROUTES.find((r) => r.path === '/account-info/v3/details');
    expect(route?.kind !== 'admin' && route?.scopes({})).toEqual([]);
  });
});

import { findObjectType } from './object-types.ts';
import type { Route } from './sandbox-context.ts';

export type MatchedRoute = { route: Route; params: Record<string, string>; template: string };

type Compiled = { route: Route; segments: string[] };

const TYPE_PARAMS = new Set(['objectType', 'fromObjectType', 'toObjectType']);

/**
 * The stats key of a call: object types by name (`0-1` → `contacts`), ids as `{id}`, other
 * parameters by their name, e.g. `GET /crm/v3/objects/deals/{id}`.
 */
function templateOf(method: string, segments: string[], params: Record<string, string>): string {
  const parts = segments.map((segment) => {
    if (!segment.startsWith(':')) return segment;
    const name = segment.slice(1);
    const value = params[name] ?? '';
    if (TYPE_PARAMS.has(name)) return findObjectType(value)?.name ?? value;
    return name.endsWith('Id') ? '{id}' : `{${name}}`;
  });
  return `${method} ${parts.join('/')}`;
}

/** First registered route whose method and segments match wins (literals are listed before params). */
export function compileRoutes(
  routes: readonly Route[],
): (method: string, path: string) => MatchedRoute | undefined {
  const compiled: Compiled[] = routes.map((route) => ({ route, segments: route.path.split('/') }));
  return (method, path) => {
    const parts = path.split('/');
    for (const { route, segments } of compiled) {
      if (route.method !== method || segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const ok = segments.every((segment, i) => {
        const part = parts[i] ?? '';
        if (!segment.startsWith(':')) return segment === part;
        if (part === '') return false;
        params[segment.slice(1)] = safeDecode(part);
        return true;
      });
      if (ok) return { route, params, template: templateOf(method, segments, params) };
    }
    return undefined;
  };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

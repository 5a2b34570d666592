import { validationError } from './hubspot-errors.ts';
import type { PropertyDefinition } from './property-definitions.ts';
import { comparable } from './property-values.ts';
import type { RecordStore, StoredRecord } from './record-store.ts';
import { readValue } from './record-view.ts';
import type { SearchFilter, SearchRequest } from './request-schemas.ts';

/**
 * HubSpot's search limits as its CRM search guide states them: five filterGroups, six filters a
 * group, eighteen in all (a 2024-08-26 changelog announced 10 and 25; the guide's stricter numbers
 * are what a client must stay within).
 */
export const SEARCH_LIMITS = { groups: 5, filtersPerGroup: 6, filters: 18, pageSize: 200, results: 10_000 };

type Predicate = (record: StoredRecord) => boolean;
type Key = number | string | undefined;

function keyOf(
  store: RecordStore,
  def: PropertyDefinition | undefined,
  record: StoredRecord,
  name: string,
): Key {
  const value = readValue(store, record, name);
  if (value === undefined) return undefined;
  return typeof value === 'number' ? value : comparable(def, value);
}

type Test = (value: Key) => boolean;

function operatorTest(def: PropertyDefinition, filter: SearchFilter): Test {
  const target = comparable(def, filter.value ?? '');
  const high = comparable(def, filter.highValue ?? '');
  const set = new Set((filter.values ?? []).map((v) => comparable(def, v)));
  const escaped = (filter.value ?? '')
    .toLowerCase()
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*');
  const token = new RegExp(`(^|\\W)${escaped}($|\\W)`);
  const tests: Record<SearchFilter['operator'], Test> = {
    EQ: (v) => v === target,
    NEQ: (v) => v !== target,
    GT: (v) => compare(v, target) > 0,
    GTE: (v) => compare(v, target) >= 0,
    LT: (v) => compare(v, target) < 0,
    LTE: (v) => compare(v, target) <= 0,
    BETWEEN: (v) => compare(v, target) >= 0 && compare(v, high) <= 0,
    IN: (v) => v !== undefined && set.has(v),
    NOT_IN: (v) => v === undefined || !set.has(v),
    HAS_PROPERTY: (v) => v !== undefined,
    NOT_HAS_PROPERTY: (v) => v === undefined,
    CONTAINS_TOKEN: (v) => token.test(String(v ?? '')),
    NOT_CONTAINS_TOKEN: (v) => !token.test(String(v ?? '')),
  };
  return tests[filter.operator];
}

function compilePredicate(store: RecordStore, filter: SearchFilter): Predicate {
  const def = store.registry.get(filter.propertyName);
  if (!def) {
    throw validationError(
      `There was a problem with the request. Property ${filter.propertyName} does not exist.`,
    );
  }
  const test = operatorTest(def, filter);
  return (record) => test(keyOf(store, def, record, filter.propertyName));
}

/** Missing values never satisfy a range comparison. */
function compare(a: Key, b: Key): number {
  if (a === undefined || b === undefined || (typeof a === 'number' && Number.isNaN(a))) return Number.NaN;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function checkLimits(request: SearchRequest, offset: number): void {
  const groups = request.filterGroups;
  const total = groups.reduce((n, g) => n + g.filters.length, 0);
  if (groups.length > SEARCH_LIMITS.groups)
    throw validationError(
      `Too many filter groups: ${groups.length} (the maximum is ${SEARCH_LIMITS.groups}).`,
    );
  if (groups.some((g) => g.filters.length > SEARCH_LIMITS.filtersPerGroup)) {
    throw validationError(
      `Too many filters in a filter group (the maximum is ${SEARCH_LIMITS.filtersPerGroup}).`,
    );
  }
  if (total > SEARCH_LIMITS.filters)
    throw validationError(`Too many filters: ${total} (the maximum is ${SEARCH_LIMITS.filters}).`);
  if (request.limit > SEARCH_LIMITS.pageSize)
    throw validationError(`limit must be at most ${SEARCH_LIMITS.pageSize}.`);
  // Paging past the first 10,000 results gets HubSpot's generic search 400.
  if (offset + request.limit > SEARCH_LIMITS.results)
    throw validationError('There was a problem with the request.');
}

const QUERY_PROPERTIES = ['email', 'firstname', 'lastname', 'dealname'];

export type SearchResult = { total: number; records: StoredRecord[]; nextAfter: number | undefined };

export function searchRecords(store: RecordStore, request: SearchRequest): SearchResult {
  const offset = request.after === undefined || request.after === '' ? 0 : Number(request.after);
  if (!Number.isInteger(offset) || offset < 0) throw validationError('There was a problem with the request.');
  checkLimits(request, offset);
  const groups = request.filterGroups.map((g) => g.filters.map((f) => compilePredicate(store, f)));
  const words = (request.query ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  const matches: StoredRecord[] = [];
  for (const record of store.records()) {
    if (record.archivedAt !== undefined) continue;
    if (groups.length > 0 && !groups.some((g) => g.every((p) => p(record)))) continue;
    if (words.length > 0 && !matchesQuery(store, record, words)) continue;
    matches.push(record);
  }
  sortRecords(store, matches, request.sorts);
  const records = matches.slice(offset, offset + request.limit);
  const next = offset + records.length;
  return { total: matches.length, records, nextAfter: next < matches.length ? next : undefined };
}

function matchesQuery(store: RecordStore, record: StoredRecord, words: string[]): boolean {
  const text = QUERY_PROPERTIES.map((p) => String(readValue(store, record, p) ?? ''))
    .join(' ')
    .toLowerCase();
  return words.every((w) => text.includes(w));
}

function sortRecords(store: RecordStore, records: StoredRecord[], sorts: SearchRequest['sorts']): void {
  const keys = sorts.map((s) => ({
    def: store.registry.get(s.propertyName),
    name: s.propertyName,
    sign: s.direction === 'DESCENDING' ? -1 : 1,
  }));
  records.sort((a, b) => {
    for (const k of keys) {
      const ka = keyOf(store, k.def, a, k.name);
      const kb = keyOf(store, k.def, b, k.name);
      if (ka === kb) continue;
      if (ka === undefined) return 1;
      if (kb === undefined) return -1;
      return (compare(ka, kb) || 0) * k.sign;
    }
    return a.id - b.id;
  });
}

import type { PropertyProblem } from './hubspot-errors.ts';
import type { PropertyDefinition } from './property-definitions.ts';

/** Stored form of a value: datetimes as epoch ms (compact, comparable), everything else as text. */
export type StoredValue = string | number;

export type Normalized = { value: StoredValue | undefined } | { problem: PropertyProblem };

const MIDNIGHT_MS = 86_400_000;

function parseInstant(raw: string): number | undefined {
  if (/^-?\d+$/.test(raw)) return Number(raw);
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : ms;
}

function normalizeDate(def: PropertyDefinition, raw: string): Normalized {
  const ms = parseInstant(raw);
  if (ms === undefined) {
    return {
      problem: { name: def.name, error: 'INVALID_DATE', message: `${raw} is not a valid date or timestamp` },
    };
  }
  // Date-only properties must be midnight UTC; datetimes (createdate, closedate…) take any instant.
  if (def.type === 'date' && ms % MIDNIGHT_MS !== 0) {
    const message = `${raw} is at ${new Date(ms).toISOString().slice(11, 23)} UTC, not midnight!`;
    return { problem: { name: def.name, error: 'INVALID_DATE', message } };
  }
  return { value: ms };
}

function normalizeEnumeration(def: PropertyDefinition, raw: string): Normalized {
  const allowed = new Set(def.options.map((o) => o.value));
  const values = def.fieldType === 'checkbox' ? raw.split(';') : [raw];
  const bad = values.find((v) => !allowed.has(v));
  if (bad === undefined) return { value: raw };
  const message = `${bad} was not one of the allowed options: [${[...allowed].join(', ')}]`;
  return { problem: { name: def.name, error: 'INVALID_OPTION', message } };
}

/** Validates one incoming value against its property; "" and null clear the value, like HubSpot. */
export function normalizeValue(def: PropertyDefinition, raw: string | null): Normalized {
  if (raw === null || raw === '') return { value: undefined };
  switch (def.type) {
    case 'number':
      return Number.isFinite(Number(raw)) && raw.trim() !== ''
        ? { value: raw.trim() }
        : {
            problem: { name: def.name, error: 'INVALID_DECIMAL', message: `${raw} was not a valid number.` },
          };
    case 'bool':
      return /^(true|false)$/i.test(raw)
        ? { value: raw.toLowerCase() }
        : {
            problem: { name: def.name, error: 'INVALID_BOOLEAN', message: `${raw} was not a valid boolean.` },
          };
    case 'date':
    case 'datetime':
      return normalizeDate(def, raw);
    case 'enumeration':
      return normalizeEnumeration(def, raw);
    default:
      return { value: raw };
  }
}

/** The API form of a stored value: ISO instants for datetimes, YYYY-MM-DD for date-only properties. */
export function formatValue(def: PropertyDefinition | undefined, value: StoredValue): string {
  if (typeof value === 'string') return value;
  const iso = new Date(value).toISOString();
  return def?.type === 'date' ? iso.slice(0, 10) : iso;
}

/** Numbers and dates compare as numbers when the property type says so; the rest as text. */
export function comparable(def: PropertyDefinition | undefined, raw: string): number | string {
  if (def?.type === 'number') return Number(raw);
  if (def?.type === 'date' || def?.type === 'datetime') return parseInstant(raw) ?? Number.NaN;
  return raw.toLowerCase();
}

import { z } from 'zod';
import { envSchema } from './config.ts';

export const CONFIG_TABLE_START = '<!-- config:start -->';
export const CONFIG_TABLE_END = '<!-- config:end -->';

/** One row of the README's configuration table, read from a variable's schema. */
export interface ConfigRow {
  readonly name: string;
  /** How the default reads in the table: a literal in backticks, a label, or `—` when there is none. */
  readonly defaultText: string;
  readonly description: string;
}

const metaSchema = z.object({
  description: z.string().trim().min(1),
  defaultLabel: z.string().trim().min(1).optional(),
});

/**
 * The default as written in the environment. Transforms and pipes (lists, booleans) sit outside
 * the default, so the value found inside is the input form (`a,b`, `false`), not the parsed one.
 */
function defaultOf(schema: z.ZodType): unknown {
  if (schema instanceof z.ZodDefault) return schema.def.defaultValue;
  if (schema instanceof z.ZodPipe) return defaultOf(schema.in as z.ZodType);
  return undefined;
}

function defaultText(value: unknown, label: string | undefined): string {
  if (label !== undefined) return label;
  if (value === undefined || value === '') return '—';
  return `\`${String(value)}\``;
}

/** Every variable of `envSchema`, in schema order; throws when one has no description. */
export function configRows(schema: z.ZodObject = envSchema): ConfigRow[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const meta = metaSchema.safeParse((field as z.ZodType).meta());
    if (!meta.success) throw new Error(`${name}: the schema has no description in .meta({ description })`);
    return {
      name,
      defaultText: defaultText(defaultOf(field as z.ZodType), meta.data.defaultLabel),
      description: meta.data.description,
    };
  });
}

const cell = (text: string) => text.replaceAll('|', '\\|');

/** The Markdown table, one line per variable, ending with a newline. */
export function renderConfigTable(rows: readonly ConfigRow[]): string {
  const lines = ['| variable | default | meaning |', '|---|---|---|'];
  for (const row of rows)
    lines.push(`| \`${row.name}\` | ${cell(row.defaultText)} | ${cell(row.description)} |`);
  return `${lines.join('\n')}\n`;
}

function markerPositions(readme: string): { start: number; end: number } {
  const start = readme.indexOf(CONFIG_TABLE_START);
  const end = readme.indexOf(CONFIG_TABLE_END);
  if (start < 0 || end < start)
    throw new Error(`README needs ${CONFIG_TABLE_START} and ${CONFIG_TABLE_END} around the table`);
  return { start: start + CONFIG_TABLE_START.length, end };
}

/** What the README holds between the markers now. */
export function currentConfigTable(readme: string): string {
  const { start, end } = markerPositions(readme);
  return readme.slice(start, end).replace(/^\n/, '');
}

/** The README with the table between the markers replaced. */
export function withConfigTable(readme: string, table: string): string {
  const { start, end } = markerPositions(readme);
  return `${readme.slice(0, start)}\n${table}${readme.slice(end)}`;
}

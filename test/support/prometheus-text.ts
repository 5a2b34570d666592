import { z } from 'zod';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One scrape in Prometheus's text format: the metric families it declares and every sample. */
export interface Exposition {
  /** Family name → its `# TYPE` (counter, gauge, histogram, summary, untyped). */
  readonly types: ReadonlyMap<string, string>;
  /** Family names with a `# HELP` line. */
  readonly helped: ReadonlySet<string>;
  readonly samples: readonly Sample[];
}

const SAMPLE_LINE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL_PAIR = /([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g;
const typeSchema = z.enum(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char));
}

function parseValue(raw: string): number {
  if (raw === '+Inf') return Number.POSITIVE_INFINITY;
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY;
  const value = Number(raw);
  if (raw !== 'NaN' && Number.isNaN(value)) throw new Error(`Not a sample value: ${raw}`);
  return value;
}

/** Parses the text exposition format (version 0.0.4), throwing on a line it cannot read. */
export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const helped = new Set<string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const comment = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
    if (comment) {
      const [, kind, name = '', rest = ''] = comment;
      if (kind === 'TYPE') types.set(name, typeSchema.parse(rest.trim()));
      else helped.add(name);
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = SAMPLE_LINE.exec(line);
    if (!match) throw new Error(`Not a sample line: ${line}`);
    const [, name = '', body = '', raw = ''] = match;
    const labels: Record<string, string> = {};
    for (const [, key = '', value = ''] of body.matchAll(LABEL_PAIR)) labels[key] = unescape(value);
    samples.push({ name, labels, value: parseValue(raw) });
  }
  return { types, helped, samples };
}

/** GETs a `/metrics` endpoint (with the bearer token when given) and parses it. */
export async function scrape(baseUrl: string, token?: string): Promise<Exposition> {
  const response = await fetch(`${baseUrl}/metrics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${baseUrl}/metrics → ${response.status} ${text}`);
  return parseExposition(text);
}

/** The samples of one series name whose labels include `match`. */
export function samplesOf(
  exposition: Exposition,
  name: string,
  match: Readonly<Record<string, string>> = {},
): Sample[] {
  return exposition.samples.filter(
    (sample) =>
      sample.name === name && Object.entries(match).every(([key, value]) => sample.labels[key] === value),
  );
}

/** The sum of those samples (0 when there are none). */
export function sumOf(exposition: Exposition, name: string, match?: Readonly<Record<string, string>>): number {
  return samplesOf(exposition, name, match).reduce((total, sample) => total + sample.value, 0);
}

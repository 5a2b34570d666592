import { z } from 'zod';

/** Severities that fail the check; lower ones are counted, not blocking. */
export const BLOCKING = new Set(['high', 'critical']);

const exceptionSchema = z.strictObject({
  /** The advisory's numeric id in npm's database, or its URL (GitHub advisory). */
  advisory: z.union([z.number().int().positive(), z.url()]),
  package: z.string().min(1),
  /** Why closeloop is not exposed, or what keeps it safe until a fix ships: someone must have looked. */
  reason: z.string().min(20),
});
export const exceptionsFileSchema = z.strictObject({
  $comment: z.string().optional(),
  exceptions: z.array(exceptionSchema),
});
export type AuditException = z.infer<typeof exceptionSchema>;

const advisorySchema = z.looseObject({
  source: z.number(),
  name: z.string(),
  title: z.string(),
  url: z.string(),
  severity: z.string(),
  range: z.string().optional(),
});
const reportSchema = z.looseObject({
  vulnerabilities: z.record(
    z.string(),
    z.looseObject({ via: z.array(z.union([z.string(), advisorySchema])) }),
  ),
  metadata: z.looseObject({ vulnerabilities: z.record(z.string(), z.number()) }),
});

export interface Finding {
  readonly scope: string;
  readonly severity: string;
  readonly package: string;
  readonly advisory: number;
  readonly url: string;
  readonly title: string;
  /** The exception that covers it, if any. */
  readonly excepted?: AuditException;
}

export type ScopeResult =
  | {
      readonly scope: string;
      readonly kind: 'audited';
      readonly counts: Record<string, number>;
      readonly findings: Finding[];
    }
  | { readonly scope: string; readonly kind: 'unreachable'; readonly detail: string }
  | { readonly scope: string; readonly kind: 'failed'; readonly detail: string };

// Errors that say the audit service could not be asked, as opposed to a project npm cannot audit.
const UNREACHABLE_CODES =
  /^(ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/;

function errorOf(raw: Record<string, unknown>): { detail: string; unreachable: boolean } {
  const error = (raw.error ?? {}) as Record<string, unknown>;
  const code = String(raw.code ?? error.code ?? '');
  const detail = String(raw.message ?? error.summary ?? error.detail ?? 'npm audit gave no report');
  const unreachable =
    typeof raw.statusCode === 'number' || UNREACHABLE_CODES.test(code) || /audit endpoint/i.test(detail);
  return { detail: code && !detail.includes(code) ? `${code}: ${detail}` : detail, unreachable };
}

const covers = (exception: AuditException, advisory: z.infer<typeof advisorySchema>) =>
  exception.package === advisory.name &&
  (exception.advisory === advisory.source || exception.advisory === advisory.url);

/** What one `npm audit --json` run says, with the high and critical advisories and their exceptions. */
export function readAudit(scope: string, stdout: string, exceptions: readonly AuditException[]): ScopeResult {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    return { scope, kind: 'failed', detail: `npm audit printed no JSON: ${stdout.slice(0, 200)}` };
  }
  const parsed = reportSchema.safeParse(raw);
  if (!parsed.success) {
    const { detail, unreachable } = errorOf(raw);
    return { scope, kind: unreachable ? 'unreachable' : 'failed', detail };
  }
  const findings = new Map<number, Finding>();
  for (const vulnerability of Object.values(parsed.data.vulnerabilities))
    for (const via of vulnerability.via) {
      if (typeof via === 'string' || !BLOCKING.has(via.severity) || findings.has(via.source)) continue;
      findings.set(via.source, {
        scope,
        severity: via.severity,
        package: via.name,
        advisory: via.source,
        url: via.url,
        title: via.title,
        excepted: exceptions.find((exception) => covers(exception, via)),
      });
    }
  return {
    scope,
    kind: 'audited',
    counts: parsed.data.metadata.vulnerabilities,
    findings: [...findings.values()],
  };
}

/** Exceptions no finding used: stale once the advisory is fixed, and worth deleting. */
export function unusedExceptions(results: readonly ScopeResult[], exceptions: readonly AuditException[]) {
  const used = new Set(
    results.flatMap((result) => (result.kind === 'audited' ? result.findings : [])).map((f) => f.excepted),
  );
  return exceptions.filter((exception) => !used.has(exception));
}

function table(rows: string[][]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The report: one line per scope, then one row per high or critical advisory and what was decided. */
export function renderAudit(results: readonly ScopeResult[]): string {
  const summary = results.map((result) => {
    if (result.kind !== 'audited') return [result.scope, result.kind.toUpperCase(), result.detail];
    const counts = ['critical', 'high', 'moderate', 'low'].map(
      (level) => `${result.counts[level] ?? 0} ${level}`,
    );
    return [result.scope, 'audited', counts.join(', ')];
  });
  const findings = results.flatMap((result) => (result.kind === 'audited' ? result.findings : []));
  const rows = findings.map((finding) => [
    finding.scope,
    finding.severity,
    finding.package,
    finding.url,
    finding.title,
    finding.excepted ? `excepted: ${finding.excepted.reason}` : 'FAIL',
  ]);
  const lines = [table([['scope', 'result', 'advisories'], ...summary])];
  const audited = results.some((result) => result.kind === 'audited');
  lines.push(
    rows.length === 0
      ? `\n${audited ? 'No high or critical advisory.' : 'Nothing was audited.'}`
      : `\n${table([['scope', 'severity', 'package', 'advisory', 'title', 'verdict'], ...rows])}`,
  );
  return lines.join('\n');
}

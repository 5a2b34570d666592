import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type AuditException,
  exceptionsFileSchema,
  readAudit,
  renderAudit,
  unusedExceptions,
} from '../../infra/audit-report.ts';

const advisory = (source: number, name: string, severity: string) => ({
  source,
  name,
  dependency: name,
  title: `${name} does something bad`,
  url: `https://github.com/advisories/GHSA-${source}`,
  severity,
  cwe: [],
  range: '<9.9.9',
});

/** `npm audit --json` (report version 2) with a critical, a high reached twice, a moderate and an effect. */
const report = JSON.stringify({
  auditReportVersion: 2,
  vulnerabilities: {
    left: { name: 'left', severity: 'critical', via: [advisory(11, 'left', 'critical')] },
    right: {
      name: 'right',
      severity: 'high',
      via: [advisory(22, 'right', 'high'), advisory(33, 'right', 'moderate')],
    },
    parent: { name: 'parent', severity: 'high', via: ['right', advisory(22, 'right', 'high')] },
  },
  metadata: { vulnerabilities: { info: 0, low: 0, moderate: 1, high: 2, critical: 1, total: 4 } },
});

const exception = (advisoryId: number | string, pkg: string): AuditException => ({
  advisory: advisoryId,
  package: pkg,
  reason: 'only reachable from a dev tool that never sees user input',
});

describe('npm audit report', () => {
  it('finds each high and critical advisory once, and none of lower severity', () => {
    const result = readAudit('closeloop (all)', report, []);
    expect(result.kind).toBe('audited');
    if (result.kind !== 'audited') return;
    expect(result.findings.map((finding) => [finding.advisory, finding.severity])).toEqual([
      [11, 'critical'],
      [22, 'high'],
    ]);
    expect(result.findings.every((finding) => finding.excepted === undefined)).toBe(true);
    expect(renderAudit([result])).toMatch(
      /critical\s+left\s+https:\/\/github.com\/advisories\/GHSA-11 .*FAIL/,
    );
  });

  it('applies an exception by id or by URL, only to its own package, and reports the unused ones', () => {
    const exceptions = [
      exception(11, 'left'),
      exception('https://github.com/advisories/GHSA-22', 'right'),
      exception(22, 'left'),
    ];
    const result = readAudit('closeloop (all)', report, exceptions);
    if (result.kind !== 'audited') throw new Error(result.kind);
    expect(result.findings.map((finding) => finding.excepted)).toEqual([exceptions[0], exceptions[1]]);
    expect(unusedExceptions([result], exceptions)).toEqual([exceptions[2]]);
    expect(renderAudit([result])).toContain('excepted: only reachable from a dev tool');
  });

  it('tells an audit service that cannot be asked from a project that cannot be audited', () => {
    const refused = JSON.stringify({
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
    });
    const offline = JSON.stringify({ error: { code: 'ENOTFOUND', summary: 'request to registry failed' } });
    const noLock = JSON.stringify({
      error: { code: 'ENOLOCK', summary: 'This command requires an existing lockfile.' },
    });
    expect(readAudit('a', refused, []).kind).toBe('unreachable');
    expect(readAudit('b', offline, []).kind).toBe('unreachable');
    expect(readAudit('c', noLock, [])).toMatchObject({
      kind: 'failed',
      detail: expect.stringContaining('ENOLOCK'),
    });
    expect(readAudit('d', 'npm ERR! something', []).kind).toBe('failed');
    expect(renderAudit([readAudit('a', refused, [])])).toMatch(/UNREACHABLE[\s\S]*Nothing was audited/);
  });

  it('refuses an exception without a reason or an advisory, and accepts the committed file', () => {
    const bad = { exceptions: [{ advisory: 'GHSA-xxxx', package: 'left', reason: 'because' }] };
    expect(exceptionsFileSchema.safeParse(bad).success).toBe(false);
    const committed = JSON.parse(
      readFileSync(new URL('../../infra/audit-exceptions.json', import.meta.url), 'utf8'),
    );
    expect(exceptionsFileSchema.safeParse(committed).success).toBe(true);
  });
});

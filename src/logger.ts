import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino blanks out wherever they appear in a log line. Secrets reach the logger only by
 * mistake (a config object, a request's headers, an SDK error); these make the mistake harmless.
 */
export const REDACTED_PATHS = [
  'accessToken',
  'clientSecret',
  'dashboardToken',
  '*.accessToken',
  '*.clientSecret',
  '*.dashboardToken',
  'config.hubspot.accessToken',
  'config.hubspot.clientSecret',
  'config.dashboardToken',
  'HUBSPOT_ACCESS_TOKEN',
  'HUBSPOT_CLIENT_SECRET',
  'DASHBOARD_TOKEN',
  'headers.authorization',
  'headers.cookie',
  'headers["x-hubspot-signature"]',
  'headers["x-hubspot-signature-v3"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hubspot-signature"]',
  'req.headers["x-hubspot-signature-v3"]',
  'res.headers["set-cookie"]',
  'err.headers.authorization',
  'err.config.headers.Authorization',
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Blanks the process's own secrets, as they are and as a URL, a form or JSON would carry them,
 * from every line before it is written. Redaction by path cannot cover what a client puts where
 * nobody expects it (a query parameter, a header of its own, the path); this can. Values shorter
 * than the configuration allows are left alone, so nothing common is blanked by chance.
 */
function scrubber(secrets: readonly (string | undefined)[]): ((line: string) => string) | undefined {
  const forms = secrets
    .filter((secret): secret is string => secret !== undefined && secret.length >= 8)
    .flatMap((secret) => [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
    ]);
  if (forms.length === 0) return undefined;
  // Longest first, so that a form containing another is blanked whole.
  const unique = [...new Set(forms)].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(unique.map(escapeRegExp).join('|'), 'g');
  return (line) => line.replace(pattern, '[redacted]');
}

export function createLogger(
  options: { level?: string; name?: string; secrets?: readonly (string | undefined)[] } = {},
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      name: options.name ?? 'closeloop',
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: { streamWrite: scrubber(options.secrets ?? []) },
    },
    destination,
  );
}

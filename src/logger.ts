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

export function createLogger(
  options: { level?: string; name?: string } = {},
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      name: options.name ?? 'closeloop',
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

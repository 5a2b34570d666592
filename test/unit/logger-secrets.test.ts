import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';

const TOKEN = 'pat-na1-0f1e2d3c-canary';
const SECRET = 'client/secret+canary"9';

function capture(secrets: readonly (string | undefined)[]) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { text: () => lines.join(''), logger: createLogger({ level: 'info', secrets }, stream) };
}

describe('logger: the configured secrets', () => {
  it('are blanked wherever a line holds them: as they are, percent- or form-encoded, JSON-escaped', () => {
    const { text, logger } = capture([TOKEN, SECRET, undefined]);
    const child = logger.child({ req: { url: `/webhooks/hubspot/${encodeURIComponent(SECRET)}` } });
    child.info(
      { query: { token: TOKEN }, headers: { 'x-api-key': SECRET } },
      `form: ${new URLSearchParams({ s: SECRET })}`,
    );
    child.warn(new Error(`HubSpot refused ${TOKEN}`), 'call failed');
    expect(text()).not.toContain('canary');
    expect(text().match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(5);
    expect(text()).toContain('/webhooks/hubspot/[redacted]');
  });

  it('leave lines alone when none is configured, and never blank short values', () => {
    const { text, logger } = capture(['short', undefined]);
    logger.info({ value: 'short' }, 'nothing secret');
    expect(text()).toContain('"value":"short"');
    expect(text()).not.toContain('[redacted]');
  });
});

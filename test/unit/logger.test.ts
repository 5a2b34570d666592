import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info' }, stream) };
}

describe('logger redaction', () => {
  it('blanks tokens, secrets, authorization, cookies and signatures wherever they are logged', () => {
    const { lines, logger } = capture();
    logger.info({
      config: {
        hubspot: { accessToken: 'pat-canary-1', clientSecret: 'secret-canary-2' },
        dashboardToken: 'dash-canary-3',
      },
      req: {
        headers: {
          authorization: 'Bearer bearer-canary-4',
          cookie: 'session=cookie-canary-5',
          'x-hubspot-signature-v3': 'sig-canary-6',
          'x-hubspot-signature': 'sig-canary-7',
        },
      },
      client: { accessToken: 'pat-canary-8' },
    });
    const text = lines.join('');
    for (const canary of [
      'canary-1',
      'canary-2',
      'canary-3',
      'canary-4',
      'canary-5',
      'canary-6',
      'canary-7',
      'canary-8',
    ]) {
      expect(text).not.toContain(canary);
    }
    expect(text).toContain('[redacted]');
  });
});

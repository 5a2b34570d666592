import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestLog } from '../../src/http/request-log.ts';
import { createLogger } from '../../src/logger.ts';

const lines: Record<string, unknown>[] = [];
const stream = new Writable({
  write(chunk, _encoding, done) {
    lines.push(JSON.parse(String(chunk)));
    done();
  },
});

describe('request log', () => {
  let base: string;
  let close: () => void;

  beforeAll(async () => {
    const app = express();
    app.use(
      requestLog({
        logger: createLogger({ level: 'info' }, stream),
        quietPaths: new Set(['/healthz']),
        busyPaths: new Set(['/webhooks/hubspot']),
      }),
    );
    app.get('/healthz', (_req, res) => void res.send('ok'));
    app.post('/webhooks/hubspot', (req, res) => {
      req.log.info('inside');
      res.status(204).end();
    });
    app.get('/api/thing', (_req, res) => void res.json({}));
    app.get('/api/broken', (_req, res) => void res.status(503).json({}));
    const server = app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  const since = (count: number) => lines.slice(count);

  it('echoes a plain x-request-id and binds it to req.log; replaces one that is not plain', async () => {
    const before = lines.length;
    const kept = await fetch(`${base}/webhooks/hubspot`, {
      method: 'POST',
      headers: { 'x-request-id': 'abc-1.2' },
    });
    expect(kept.headers.get('x-request-id')).toBe('abc-1.2');
    const replaced = await fetch(`${base}/api/thing`, { headers: { 'x-request-id': 'no spaces <b>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await settle();
    expect(since(before)).toContainEqual(expect.objectContaining({ msg: 'inside', reqId: 'abc-1.2' }));
  });

  it('logs a line per answer at a level by status; 2xx on busy paths at debug; quiet paths never', async () => {
    const before = lines.length;
    await fetch(`${base}/healthz`);
    await fetch(`${base}/webhooks/hubspot`, { method: 'POST' });
    await fetch(`${base}/api/thing`, { headers: { authorization: 'Bearer canary-token-93' } });
    await fetch(`${base}/api/broken`);
    await settle();
    const completed = since(before).filter((line) => line.msg === 'request completed');
    expect(completed.map((line) => [line.level, (line.req as { url: string }).url])).toEqual([
      [30, '/api/thing'],
      [50, '/api/broken'],
    ]);
    expect(JSON.stringify(completed)).not.toContain('canary-token-93');
    expect(completed[0]).toMatchObject({ res: { statusCode: 200 }, responseTime: expect.any(Number) });
  });
});

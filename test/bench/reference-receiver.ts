import { createServer } from 'node:http';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { verifyV3 } from '../../src/hubspot/signature.ts';

/**
 * The baseline for webhook ingest: bare node:http, the same v3 check, one queue.add per
 * delivery — no express, no parsing beyond JSON.parse, no filtering, no deduplication, no logs.
 */
const port = Number(process.env.PORT);
const secret = process.env.HUBSPOT_CLIENT_SECRET ?? '';
const base = process.env.PUBLIC_BASE_URL ?? '';
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
const queue = new Queue('events', { connection: redis, prefix: process.env.REDIS_PREFIX ?? 'reference' });

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', async () => {
    const rawBody = Buffer.concat(chunks);
    try {
      verifyV3(
        { method: req.method ?? 'POST', uri: `${base}${req.url}`, rawBody, headers: req.headers },
        secret,
        Date.now(),
      );
      const events = JSON.parse(rawBody.toString('utf8')) as unknown[];
      await queue.add('delivery', { events });
      res.writeHead(204).end();
    } catch {
      res.writeHead(400).end();
    }
  });
}).listen(port, '127.0.0.1', () => process.send?.('ready'));

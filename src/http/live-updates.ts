import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { patientCopy } from '../redis.ts';
import { figuresChannel } from '../store/keys.ts';

export interface LiveUpdates {
  readonly router: Router;
  close(): Promise<void>;
}

const HEARTBEAT_MS = 25_000;

/**
 * `GET /api/events`: server-sent events, one `figures` event whenever the figures changed, so the
 * dashboard refreshes without a reload. One Redis subscription per process, fanned out.
 */
export function liveUpdates(redis: Redis, prefix: string, logger: Logger): LiveUpdates {
  const subscriber = patientCopy(redis);
  const clients = new Set<{ send(data: string): void; end(): void }>();
  subscriber.on('error', (error) => logger.warn({ err: error }, 'live updates: redis subscriber error'));
  subscriber
    .subscribe(figuresChannel(prefix))
    .catch((error: unknown) => logger.warn({ err: error }, 'live updates: could not subscribe'));
  subscriber.on('message', (_channel, message) => {
    for (const client of clients) client.send(message);
  });
  const router = Router();
  router.get('/api/events', (req, res) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const client = {
      send: (data: string) => res.write(`event: figures\ndata: ${JSON.stringify({ version: data })}\n\n`),
      // Ends the stream: an open one would otherwise hold the server's close (and its heartbeat timer) forever.
      end: () => {
        clearInterval(heartbeat);
        clients.delete(client);
        res.end();
      },
    };
    clients.add(client);
    req.on('close', () => {
      clearInterval(heartbeat);
      clients.delete(client);
    });
  });
  return {
    router,
    async close() {
      for (const client of [...clients]) client.end();
      subscriber.disconnect();
    },
  };
}

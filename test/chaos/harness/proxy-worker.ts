import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import type { Delivery } from './webhook-proxy.ts';

/**
 * The webhook proxy's server, in a thread of its own: its timestamps then measure `serve`, not how
 * busy the test's main thread is (the sandbox, the workload and the checks run there).
 */
const { targetUrl, counter } = z
  .object({ targetUrl: z.string(), counter: z.instanceof(Int32Array) })
  .parse(workerData);
const target = new URL(targetUrl);
const agent = new Agent({ keepAlive: true, maxSockets: 16 });
const now = () => performance.timeOrigin + performance.now();

const eventSchema = z.looseObject({
  objectId: z.number().optional(),
  fromObjectId: z.number().optional(),
  toObjectId: z.number().optional(),
  primaryObjectId: z.number().optional(),
  mergedObjectIds: z.array(z.number()).optional(),
});

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function objectIdsOf(body: Buffer): { events: number; ids: string[] } {
  const parsed = z.array(eventSchema).safeParse(parseJson(body));
  if (!parsed.success) return { events: 0, ids: [] };
  const ids = parsed.data.flatMap((e) => [
    e.objectId,
    e.fromObjectId,
    e.toObjectId,
    e.primaryObjectId,
    ...(e.mergedObjectIds ?? []),
  ]);
  return { events: parsed.data.length, ids: [...new Set(ids.filter((id) => id !== undefined).map(String))] };
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function forward(req: IncomingMessage, body: Buffer) {
  return new Promise<{ status: number; body: Buffer }>((resolve) => {
    const headers = { ...req.headers, host: target.host };
    const out = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers, agent },
      (res) => {
        void readAll(res).then(
          (answer) => resolve({ status: res.statusCode ?? 0, body: answer }),
          () => resolve({ status: 0, body: Buffer.alloc(0) }),
        );
      },
    );
    out.on('error', () => resolve({ status: 0, body: Buffer.alloc(0) }));
    out.end(body);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  Atomics.add(counter, 0, 1);
  const receivedAt = now();
  try {
    const body = await readAll(req);
    const answer = await forward(req, body);
    const answeredAt = now();
    const { events, ids } = req.url?.startsWith('/webhooks/') ? objectIdsOf(body) : { events: 0, ids: [] };
    const delivery: Delivery = { receivedAt, answeredAt, status: answer.status, events, objectIds: ids };
    parentPort?.postMessage({ delivery });
    res.writeHead(answer.status === 0 ? 502 : answer.status).end(answer.body);
  } catch {
    res.writeHead(502).end();
  } finally {
    Atomics.sub(counter, 0, 1);
  }
}

const server = createServer((req, res) => void handle(req, res));
server.listen(0, '127.0.0.1', () => {
  parentPort?.postMessage({ port: (server.address() as AddressInfo).port });
});
parentPort?.on('message', () => {
  agent.destroy();
  server.close(() => parentPort?.close());
  server.closeAllConnections();
});

import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * One webhook delivery as it passed between the sandbox (HubSpot) and `serve`: when it arrived,
 * when `serve` answered and how (0: no answer, the connection failed), and which objects it named.
 */
export interface Delivery {
  readonly receivedAt: number;
  readonly answeredAt: number;
  readonly status: number;
  readonly events: number;
  readonly objectIds: readonly string[];
}

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

/**
 * A pass-through in front of `serve`, where HubSpot's deliveries arrive (it is PUBLIC_BASE_URL, as
 * a TLS proxy would be): it forwards every request byte for byte and records each answer. A
 * connection `serve` refuses or resets becomes a 502, which HubSpot retries like a refusal.
 */
export interface WebhookProxy {
  readonly url: string;
  readonly deliveries: Delivery[];
  inFlight(): number;
  close(): Promise<void>;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function forward(target: URL, agent: Agent, req: IncomingMessage, body: Buffer) {
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

export async function startWebhookProxy(targetUrl: string): Promise<WebhookProxy> {
  const target = new URL(targetUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const deliveries: Delivery[] = [];
  let inFlight = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    const receivedAt = performance.timeOrigin + performance.now();
    try {
      const body = await readAll(req);
      const answer = await forward(target, agent, req, body);
      const answeredAt = performance.timeOrigin + performance.now();
      const { events, ids } = req.url?.startsWith('/webhooks/') ? objectIdsOf(body) : { events: 0, ids: [] };
      deliveries.push({ receivedAt, answeredAt, status: answer.status, events, objectIds: ids });
      res.writeHead(answer.status === 0 ? 502 : answer.status).end(answer.body);
    } catch {
      res.writeHead(502).end();
    } finally {
      inFlight--;
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    inFlight: () => inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';

export type ReceivedEvent = {
  eventId: number;
  subscriptionId: number;
  subscriptionType: string;
  attemptNumber: number;
  [field: string]: unknown;
};

export type Received = {
  headers: IncomingHttpHeaders;
  body: string;
  events: ReceivedEvent[];
  validV3: boolean;
  validV1: boolean;
};

export type Receiver = {
  url: string;
  requests: Received[];
  events(): ReceivedEvent[];
  maxInFlight(): number;
  close(): Promise<void>;
};

/** Checks HubSpot's v3 signature the way the docs describe it, independently of the sandbox. */
function verifyV3(secret: string, uri: string, headers: IncomingHttpHeaders, body: string): boolean {
  const timestamp = String(headers['x-hubspot-request-timestamp'] ?? '');
  if (Math.abs(Date.now() - Number(timestamp)) > 300_000) return false;
  const expected = createHmac('sha256', secret).update(`POST${uri}${body}${timestamp}`).digest();
  const given = Buffer.from(String(headers['x-hubspot-signature-v3'] ?? ''), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function verifyV1(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const expected = createHash('sha256')
    .update(secret + body)
    .digest('hex');
  return headers['x-hubspot-signature-version'] === 'v1' && headers['x-hubspot-signature'] === expected;
}

/** A webhook target: records what arrives, answers with `respond` (after `delayMs`). */
export async function startReceiver(
  secret: string,
  respond: (r: Received, index: number) => number = () => 204,
  delayMs = 0,
): Promise<Receiver> {
  const requests: Received[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let url = '';
  const server = createServer(async (req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const received: Received = {
      headers: req.headers,
      body,
      events: JSON.parse(body),
      validV3: verifyV3(secret, url, req.headers, body),
      validV1: verifyV1(secret, req.headers, body),
    };
    requests.push(received);
    const status = respond(received, requests.length - 1);
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    inFlight--;
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/webhooks/hubspot?portal=1`;
  return {
    url,
    requests,
    events: () => requests.flatMap((r) => r.events),
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

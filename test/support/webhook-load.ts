import { Agent, request } from 'node:http';
import { hubspotV3Headers } from './sign.ts';

// Ordering only: every send and answer takes the next tick, so "after" needs no clock.
let ticks = 0;
export const tick = () => ++ticks;

type Answer = { status: number; connection: string | undefined };
type SendError = NodeJS.ErrnoException & { midResponse?: boolean };

/** One request; a failure says whether it came before or after the response began. */
function send(url: string, agent: Agent | false, body?: string, headers = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let responded = false;
    const fail = (error: SendError) => reject(Object.assign(error, { midResponse: responded }));
    const req = request(url, { method: body === undefined ? 'GET' : 'POST', agent, headers }, (res) => {
      responded = true;
      res.on('error', fail);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      res.resume();
    });
    req.on('error', fail);
    req.end(body);
  });
}

export type Delivery = Answer & { objectId: number; sent: number };
export type Failure = { code: string; midResponse: boolean; objectId: number; sent: number };
export type Load = { answers: Delivery[]; failures: Failure[]; done: Promise<void> };

let nextObjectId = 1000;

/**
 * One keep-alive client sending signed deliveries back to back, as HubSpot does, until its
 * connection is refused. A reset does not stop it: HubSpot sends its next delivery anyway.
 */
async function client(base: string, secret: string, load: Load): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = `${base}/webhooks/hubspot`;
  try {
    for (;;) {
      const objectId = nextObjectId++;
      const event = { eventId: objectId, subscriptionId: 1, portalId: 62515, appId: 7, attemptNumber: 0 };
      const body = JSON.stringify([
        {
          ...event,
          occurredAt: Date.now(),
          subscriptionType: 'object.creation',
          objectTypeId: '0-1',
          objectId,
        },
      ]);
      const sent = tick();
      try {
        const answer = await send(url, agent, body, hubspotV3Headers(secret, url, body));
        load.answers.push({ ...answer, objectId, sent });
      } catch (error) {
        const { code = String(error), midResponse = false } = error as SendError;
        load.failures.push({ code, midResponse, objectId, sent });
        if (code !== 'ECONNRESET') return;
      }
    }
  } finally {
    agent.destroy();
  }
}

/** Concurrent clients delivering unique creation events to `base` until each is refused. */
export function webhookLoad(base: string, secret: string, clients: number): Load {
  const load: Load = { answers: [], failures: [], done: Promise.resolve() };
  load.done = Promise.all(Array.from({ length: clients }, () => client(base, secret, load))).then(() => {});
  return load;
}

/** A probe on a fresh connection every few ms until the connection fails (status 0). */
export async function probe(url: string): Promise<Array<{ status: number; at: number }>> {
  const seen: Array<{ status: number; at: number }> = [];
  for (;;) {
    const status = await send(url, false).then(
      (answer) => answer.status,
      () => 0,
    );
    seen.push({ status, at: tick() });
    if (status === 0) return seen;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

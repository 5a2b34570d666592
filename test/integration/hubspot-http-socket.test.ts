import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransientError } from '../../src/errors.ts';
import { type CallObserver, createHubSpotHttp } from '../../src/hubspot/http.ts';
import { fakeBudget } from '../support/hubspot-fakes.ts';
import { freePort } from '../support/private-redis.ts';

// Real sockets, no nock: the failures that happen below HTTP (timeouts from the undici Agent that
// createHubSpotHttp installs as the global dispatcher, connections dropped mid-body, refused
// connections) cannot be faked faithfully by an interceptor.

type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;
const behaviours = new Map<string, Behaviour>();
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => behaviours.get(req.url ?? '')?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function adapter(url: string) {
  const calls: Parameters<CallObserver>[0][] = [];
  const budget = fakeBudget('budget');
  const http = createHubSpotHttp({
    accessToken: 'pat-socket-test',
    baseUrl: url,
    budget,
    searchBudget: fakeBudget('searchBudget'),
    dailyResetAt: () => 0,
    // Short, so the hanging cases end quickly; the assertions are about the error, not the time.
    timeoutMs: 300,
    observe: (call) => calls.push(call),
  });
  return { http, calls, budget };
}

describe('createHubSpotHttp over a real socket', () => {
  it('answers through the installed dispatcher with the bearer token', async () => {
    behaviours.set('/ok', (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ authorization: req.headers.authorization }));
    });
    const { http } = adapter(baseUrl);

    const response = await http({ method: 'GET', path: '/ok', priority: 'live' });

    expect(response.body).toEqual({ authorization: 'Bearer pat-socket-test' });
  });

  it.each<[string, Behaviour]>([
    ['no headers arrive within the timeout', () => {}],
    [
      'the body stalls after the headers',
      (_, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"results":[');
      },
    ],
    [
      'the connection drops mid-body',
      (_, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"results":[', () => res.socket?.destroy());
      },
    ],
  ])('maps it to TransientError when %s, and tells the observer', async (name, behaviour) => {
    const path = `/${name.replaceAll(' ', '-')}`;
    behaviours.set(path, behaviour);
    const { http, calls } = adapter(baseUrl);

    const error = await http({ method: 'GET', path, priority: 'live' }).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(TransientError);
    expect(calls.map((call) => call.status)).toEqual(['error']);
  });

  it('maps a refused connection to TransientError', async () => {
    const { http, budget } = adapter(`http://127.0.0.1:${await freePort()}`);

    const error = await http({ method: 'GET', path: '/nobody-home', priority: 'background' }).catch(
      (thrown: unknown) => thrown,
    );

    expect(error).toBeInstanceOf(TransientError);
    // The slot was taken before the attempt: a failed call still counted against the budget.
    expect(budget.acquired).toEqual(['background']);
  });
});

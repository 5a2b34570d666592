import { connect } from 'node:net';

export interface RawRequest {
  readonly method: string;
  /** The request target exactly as sent: any bytes a client could put there. */
  readonly target: string;
  /** In order, duplicates allowed; names and values are sent as given. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  /**
   * Silence after which the client half-closes: short only for a body the server will never see
   * whole (it is answered at once or not at all), long otherwise, because Node drops a request
   * whose client ended before it was answered.
   */
  readonly idleMs?: number;
}

export interface RawResponse {
  /** Every status line the server wrote on the connection (usually one). */
  readonly statuses: number[];
  readonly text: string;
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3}) /gm;

/** The request's bytes; adds `Connection: close` so the server ends the exchange, and a Host unless given. */
export function requestBytes(request: RawRequest): Buffer {
  const hasHost = request.headers.some(([name]) => name.toLowerCase() === 'host');
  const lines = [`${request.method} ${request.target} HTTP/1.1`, 'Connection: close'];
  if (!hasHost) lines.push('Host: 127.0.0.1');
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), request.body]);
}

/**
 * Sends bytes a well-behaved client never would (bad framing, odd targets, raw header values)
 * and reads what comes back until the server closes. A server still waiting for body bytes that
 * will never come (a declared length longer than what was sent) is told so by a half-close after
 * `idleMs` of silence. Bounded: after `timeoutMs` the socket is destroyed and whatever arrived is
 * returned.
 */
export function sendRaw(port: number, request: RawRequest, timeoutMs = 10_000): Promise<RawResponse> {
  const idleMs = request.idleMs ?? 3000;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ port, host: '127.0.0.1' });
    let idle: NodeJS.Timeout | undefined;
    const waitForSilence = () => {
      clearTimeout(idle);
      idle = setTimeout(() => socket.end(), idleMs);
    };
    const finish = () => {
      clearTimeout(timer);
      clearTimeout(idle);
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ statuses: [...text.matchAll(STATUS_LINE)].map((match) => Number(match[1])), text });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      finish();
    }, timeoutMs);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      waitForSilence();
    });
    socket.on('close', finish);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A server may reset a connection it refused to read; that is an answer, not a test failure.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') {
        clearTimeout(timer);
        clearTimeout(idle);
        reject(error);
      }
    });
    socket.write(requestBytes(request), waitForSilence);
  });
}

import { request } from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

export interface HttpCall {
  readonly method?: string;
  /** Sent as given: `%`, quotes, `<` and the like are not escaped (only bytes Node refuses are). */
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
  /** For answers that never end (an event stream): what arrived this long after the headers. */
  readonly readMs?: number;
}

/**
 * One request through `node:http`, which (unlike fetch) sends the path as given instead of
 * normalising it, so odd targets reach the server as a client could send them.
 */
export function call(baseUrl: string, options: HttpCall): Promise<HttpAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        // Each call on its own connection: a server that closes one after an error cannot fail the next.
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        const done = () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', done);
        res.on('error', reject);
        if (options.readMs !== undefined)
          setTimeout(() => {
            done();
            req.destroy();
          }, options.readMs);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Escapes only what Node refuses to put in a request line (controls, space, non-Latin-1). */
export function sendablePath(path: string): string {
  return path.replace(/[^\u0021-\u00ff]/gu, (char) => encodeURIComponent(char));
}

/** An error a browser cannot run: JSON with a code and a message (and, behind helmet, not sniffable). */
export function isJsonError(answer: HttpAnswer, options: { behindHelmet: boolean }): boolean {
  if (!String(answer.headers['content-type']).startsWith('application/json')) return false;
  if (options.behindHelmet && answer.headers['x-content-type-options'] !== 'nosniff') return false;
  const body = JSON.parse(answer.text) as { error?: unknown; message?: unknown };
  return typeof body.error === 'string' && typeof body.message === 'string';
}

/** Node's own answer to a request line it cannot parse (before any of closeloop runs): 400, no body. */
export function isParserRefusal(answer: HttpAnswer): boolean {
  return answer.status === 400 && answer.text === '' && answer.headers['content-type'] === undefined;
}

import type pg from 'pg';

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

const CHUNK_BYTES = 1 << 20;

/**
 * `COPY … FROM STDIN` on a pg client: node-postgres runs COPY only through a "submittable" that
 * answers the server's CopyInResponse, which this is (text format: tab-separated, `\N` for null).
 * Rows are sent in 1 MiB chunks.
 */
export function copyRows(client: pg.Client, statement: string, rows: Iterable<string>): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed: Error | undefined;
    const submittable = {
      submit: (connection: pg.Connection) => (connection as unknown as CopyConnection).query(statement),
      handleCopyInResponse(connection: CopyConnection) {
        let buffered: string[] = [];
        let size = 0;
        for (const row of rows) {
          buffered.push(row, '\n');
          size += row.length + 1;
          if (size < CHUNK_BYTES) continue;
          connection.sendCopyFromChunk(Buffer.from(buffered.join('')));
          buffered = [];
          size = 0;
        }
        if (buffered.length > 0) connection.sendCopyFromChunk(Buffer.from(buffered.join('')));
        connection.endCopyFrom();
      },
      handleCommandComplete: () => undefined,
      handleReadyForQuery: () => (failed ? reject(failed) : resolve()),
      handleError(error: Error) {
        failed = error;
      },
      handleRowDescription: () => undefined,
      handleDataRow: () => undefined,
      handleEmptyQuery: () => undefined,
      handleCopyData: () => undefined,
    };
    client.query(submittable);
  });
}

/** A COPY text-format field: tabs, newlines and backslashes escaped; null as `\N`. */
export function copyField(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return value.replace(
    /[\\\t\n\r]/g,
    (char) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[char] ?? char,
  );
}

import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Runs `work` on a connection whose search path is a fresh schema of its own, dropped afterwards
 * (whatever happens), so runs in parallel never see each other's tables.
 */
export async function withScratchSchema<T>(
  databaseUrl: string | undefined,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl ?? DEFAULT_DATABASE_URL });
  await client.connect();
  const schema = `oracle_${randomBytes(8).toString('hex')}`;
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
    // A date-only value is midnight UTC, as JavaScript reads it. The views' row estimates on
    // fresh tables are huge, and JIT-compiling them costs seconds to save microseconds.
    await client.query(`SET search_path TO ${schema}; SET TIME ZONE 'UTC'; SET jit = off`);
    return await work(client);
  } finally {
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await client.end();
    }
  }
}

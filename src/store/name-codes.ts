import type { Redis } from 'ioredis';
import { scripts } from './scripts.ts';

export interface NameCodeKeys {
  readonly codes: string;
  readonly names: string;
}

/** Names by code, as read; a code it lacks is a stored value that refers to nothing (corruption). */
export interface NameTable {
  nameOf(code: string): string;
}

export function nameTable(byCode: ReadonlyMap<string, string>): NameTable {
  return {
    nameOf(code) {
      const name = byCode.get(code);
      if (name === undefined)
        throw new Error(`the projection refers to name code ${code}, which it does not define`);
      return name;
    },
  };
}

/**
 * The projection's dictionary of repeated names (campaigns, stages, pipelines): stored records
 * hold small decimal codes instead, so a contact of a campaign named by a 36-character GUID fits a
 * listpack entry. Codes are only ever added within a generation, never changed or reused, and a
 * code is assigned before any record that holds it is written, so any read that sees the record
 * can resolve it. What one instance has read it keeps (an instance serves one job or request); a
 * generation rebuilt from scratch may give a name another code.
 */
export function nameCodes(redis: Redis, keys: NameCodeKeys) {
  const run = scripts(redis);
  const byCode = new Map<string, string>();
  const byName = new Map<string, string>();
  const learn = (code: string, name: string) => {
    byCode.set(code, name);
    byName.set(name, code);
  };
  const table = nameTable(byCode);
  return {
    /** Codes of names, assigning new ones as needed. */
    async codesOf(names: Iterable<string>): Promise<(name: string) => string> {
      const wanted = [...new Set(names)].filter((name) => !byName.has(name));
      if (wanted.length > 0) {
        const codes = (await run.closeloopAssignCodes(keys.codes, keys.names, ...wanted)) as string[];
        for (const [index, name] of wanted.entries()) learn(codes[index] as string, name);
      }
      return (name) => {
        const code = byName.get(name);
        if (code === undefined) throw new Error(`no code was assigned to "${name}"`);
        return code;
      };
    },

    /** The code of a name already coded; undefined when nothing stored refers to it. */
    async existingCode(name: string): Promise<string | undefined> {
      const code = byName.get(name) ?? (await redis.hget(keys.codes, name)) ?? undefined;
      if (code !== undefined) learn(code, name);
      return code;
    },

    /** Names of the given codes (read as needed). */
    async table(codes: Iterable<string>): Promise<NameTable> {
      const wanted = [...new Set(codes)].filter((code) => !byCode.has(code));
      if (wanted.length > 0) {
        const names = await redis.hmget(keys.names, ...wanted);
        wanted.forEach((code, index) => {
          const name = names[index];
          if (name !== null && name !== undefined) learn(code, name);
        });
      }
      return table;
    },

    /** Every name (for scans of the whole projection). */
    async all(): Promise<NameTable> {
      for (const [code, name] of Object.entries(await redis.hgetall(keys.names))) learn(code, name);
      return table;
    },
  };
}

export type NameCodes = ReturnType<typeof nameCodes>;

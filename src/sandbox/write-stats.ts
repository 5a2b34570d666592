import type { StoredValue } from './property-values.ts';
import type { RecordStore, StoredRecord } from './record-store.ts';
import type { PreparedWrite } from './record-writes.ts';
import type { PropertiesInput } from './unique-values.ts';

/** What the batch updates of one object type did to the values they were given. */
export type WriteCounts = {
  /** Batch-update inputs applied (inputs a 207 failed are not applied, so not counted). */
  inputs: number;
  /** Inputs that changed none of the values they carried: a client sending what is already there. */
  unchanged: number;
  /** Inputs whose one changed value was this property (e.g. a timestamp sent beside unchanged values). */
  onlyChanged: Record<string, number>;
  /** Inputs identical to the previous input applied to the same record: one write applied twice. */
  repeated: number;
};

/**
 * Counts batch-update inputs that changed nothing, so a test can tell a client that writes each
 * value once from one that repeats writes HubSpot had already applied.
 */
export class WriteStats {
  #byType = new Map<string, WriteCounts>();
  /** The last input applied to each record (one short string per record a client wrote). */
  #last = new Map<string, string>();

  record(type: string, id: number, input: string, changed: readonly string[]): void {
    let counts = this.#byType.get(type);
    if (!counts) {
      counts = { inputs: 0, unchanged: 0, onlyChanged: {}, repeated: 0 };
      this.#byType.set(type, counts);
    }
    counts.inputs++;
    const key = `${type}/${id}`;
    if (this.#last.get(key) === input) counts.repeated++;
    this.#last.set(key, input);
    if (changed.length === 0) counts.unchanged++;
    const [only] = changed;
    if (changed.length === 1 && only !== undefined)
      counts.onlyChanged[only] = (counts.onlyChanged[only] ?? 0) + 1;
  }

  toJSON(): Record<string, WriteCounts> {
    return Object.fromEntries(
      [...this.#byType].map(([type, counts]) => [
        type,
        { ...counts, onlyChanged: { ...counts.onlyChanged } },
      ]),
    );
  }

  reset(): void {
    this.#byType = new Map();
    this.#last = new Map();
  }
}

const same = (a: StoredValue | undefined, b: StoredValue | undefined) => a === b;

/** Wraps a prepared update so that applying it records which of its properties really changed. */
export function countedUpdate(
  stats: WriteStats,
  store: RecordStore,
  record: StoredRecord,
  input: PropertiesInput,
  write: PreparedWrite,
): PreparedWrite {
  const names = Object.keys(input).sort();
  const canonical = JSON.stringify(names.map((name) => [name, input[name]]));
  return () => {
    const before = names.map((name) => store.getValue(record, name));
    const result = write();
    const changed = names.filter((name, i) => !same(before[i], store.getValue(result, name)));
    stats.record(store.info.name, result.id, canonical, changed);
    return result;
  };
}

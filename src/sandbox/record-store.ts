import type { ObjectTypeInfo } from './object-types.ts';
import type { PropertyRegistry } from './property-registry.ts';
import type { StoredValue } from './property-values.ts';

/**
 * One CRM record. Property values live in a positional array (one slot per property name, shared
 * by every record of the type) so a million contacts stay a few hundred megabytes.
 */
export type StoredRecord = {
  readonly id: number;
  createdAt: number;
  updatedAt: number;
  archivedAt: number | undefined;
  values: (StoredValue | undefined)[];
};

export class RecordStore {
  readonly info: ObjectTypeInfo;
  readonly registry: PropertyRegistry;
  readonly #records = new Map<number, StoredRecord>();
  readonly #slots = new Map<string, number>();
  /** Ids merged away, pointing at the record they were merged into. */
  readonly #aliases = new Map<number, number>();
  /** Ids in ascending order, for cursor paging of the list endpoint. */
  #order: number[] = [];
  /** A property HubSpot keeps unique (a contact's email), case-insensitively, to its owner's id. */
  readonly uniqueProperty: string | undefined;
  readonly #owners = new Map<string, number>();

  constructor(info: ObjectTypeInfo, registry: PropertyRegistry) {
    this.info = info;
    this.registry = registry;
    this.uniqueProperty = info.name === 'contacts' ? 'email' : undefined;
  }

  ownerOf(value: string): number | undefined {
    return this.#owners.get(value.toLowerCase());
  }

  claim(value: string, id: number): void {
    this.#owners.set(value.toLowerCase(), id);
  }

  release(value: string, id: number): void {
    if (this.ownerOf(value) === id) this.#owners.delete(value.toLowerCase());
  }

  /** Frees every unique value a record holds (its own and those of contacts merged into it). */
  releaseAll(id: number): void {
    for (const [value, owner] of this.#owners) if (owner === id) this.#owners.delete(value);
  }

  get size(): number {
    return this.#records.size;
  }

  #slot(name: string): number {
    let slot = this.#slots.get(name);
    if (slot === undefined) {
      slot = this.#slots.size;
      this.#slots.set(name, slot);
    }
    return slot;
  }

  getValue(record: StoredRecord, name: string): StoredValue | undefined {
    const slot = this.#slots.get(name);
    return slot === undefined ? undefined : record.values[slot];
  }

  setValue(record: StoredRecord, name: string, value: StoredValue | undefined): void {
    const slot = this.#slot(name);
    if (value === undefined && slot >= record.values.length) return;
    record.values[slot] = value;
  }

  /** Stored (not derived) values by property name. */
  entries(record: StoredRecord): [string, StoredValue][] {
    const out: [string, StoredValue][] = [];
    for (const [name, slot] of this.#slots) {
      const value = record.values[slot];
      if (value !== undefined) out.push([name, value]);
    }
    return out;
  }

  has(id: number): boolean {
    return this.#records.has(id);
  }

  /** Finds a record by id, following merges the way HubSpot resolves merged-away ids. */
  resolve(id: number): StoredRecord | undefined {
    let current = id;
    for (let hops = 0; hops < 64; hops++) {
      const record = this.#records.get(current);
      if (record) return record;
      const next = this.#aliases.get(current);
      if (next === undefined) return undefined;
      current = next;
    }
    return undefined;
  }

  insert(record: StoredRecord): void {
    this.#records.set(record.id, record);
    const last = this.#order[this.#order.length - 1];
    if (last === undefined || record.id > last) this.#order.push(record.id);
    else this.#order.splice(this.#lowerBound(record.id), 0, record.id);
  }

  /** Removes a record for good (GDPR delete, or merged into a new record). */
  remove(id: number, mergedInto?: number): void {
    if (!this.#records.delete(id)) return;
    const at = this.#lowerBound(id);
    if (this.#order[at] === id) this.#order.splice(at, 1);
    if (mergedInto !== undefined) this.#aliases.set(id, mergedInto);
  }

  records(): IterableIterator<StoredRecord> {
    return this.#records.values();
  }

  /** Up to `limit` records with id > `after`, in id order, with the cursor of the next page. */
  page(
    after: number,
    limit: number,
    archived: boolean,
  ): { records: StoredRecord[]; next: number | undefined } {
    const records: StoredRecord[] = [];
    for (let i = this.#upperBound(after); i < this.#order.length; i++) {
      const record = this.#records.get(this.#order[i] as number);
      if (!record || (record.archivedAt !== undefined) !== archived) continue;
      if (records.length === limit) return { records, next: records[records.length - 1]?.id };
      records.push(record);
    }
    return { records, next: undefined };
  }

  #lowerBound(id: number): number {
    let lo = 0;
    let hi = this.#order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#order[mid] as number) < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #upperBound(id: number): number {
    let lo = 0;
    let hi = this.#order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#order[mid] as number) <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

import type { ObjectTypeName } from './object-types.ts';

/** HubSpot-defined association types between contacts and deals (category HUBSPOT_DEFINED). */
export const ASSOCIATION_TYPE_IDS = { contacts: 4, deals: 3 } as const;

export function associationTypeId(from: ObjectTypeName): number {
  return ASSOCIATION_TYPE_IDS[from];
}

export function associationTypeName(from: ObjectTypeName): 'CONTACT_TO_DEAL' | 'DEAL_TO_CONTACT' {
  return from === 'contacts' ? 'CONTACT_TO_DEAL' : 'DEAL_TO_CONTACT';
}

/** Contact↔deal links, stored once per direction so both sides read in O(degree). */
export class AssociationStore {
  readonly #byType: Record<ObjectTypeName, Map<number, Set<number>>> = {
    contacts: new Map(),
    deals: new Map(),
  };

  #link(type: ObjectTypeName, from: number, to: number): boolean {
    let set = this.#byType[type].get(from);
    if (!set) {
      set = new Set();
      this.#byType[type].set(from, set);
    }
    if (set.has(to)) return false;
    set.add(to);
    return true;
  }

  #unlink(type: ObjectTypeName, from: number, to: number): boolean {
    const set = this.#byType[type].get(from);
    if (!set?.delete(to)) return false;
    if (set.size === 0) this.#byType[type].delete(from);
    return true;
  }

  /** Links `fromId` (of `from`) with `toId`; false when they were already linked. */
  add(from: ObjectTypeName, fromId: number, toId: number): boolean {
    const other: ObjectTypeName = from === 'contacts' ? 'deals' : 'contacts';
    this.#link(other, toId, fromId);
    return this.#link(from, fromId, toId);
  }

  remove(from: ObjectTypeName, fromId: number, toId: number): boolean {
    const other: ObjectTypeName = from === 'contacts' ? 'deals' : 'contacts';
    this.#unlink(other, toId, fromId);
    return this.#unlink(from, fromId, toId);
  }

  /** Ids linked to `id`, ascending. */
  of(type: ObjectTypeName, id: number): number[] {
    const set = this.#byType[type].get(id);
    return set ? [...set].sort((a, b) => a - b) : [];
  }

  /** Drops every link of a record; returns the ids it was linked to. */
  removeAll(type: ObjectTypeName, id: number): number[] {
    const linked = this.of(type, id);
    for (const to of linked) this.remove(type, id, to);
    return linked;
  }

  clear(): void {
    this.#byType.contacts.clear();
    this.#byType.deals.clear();
  }
}

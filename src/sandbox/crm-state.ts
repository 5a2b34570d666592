import { AssociationStore } from './association-store.ts';
import { CampaignStore } from './campaign-store.ts';
import type { LifecycleDatesMode } from './lifecycle.ts';
import { CONTACTS, DEALS, type ObjectTypeInfo, type ObjectTypeName } from './object-types.ts';
import { PropertyRegistry } from './property-registry.ts';
import { RecordStore } from './record-store.ts';
import type { SandboxClock } from './sandbox-clock.ts';
import type { ChangeSink } from './webhooks/crm-change.ts';

export type CrmStateOptions = {
  clock: SandboxClock;
  lifecycleDates: LifecycleDatesMode;
  currency: string;
  portalId: number;
  sink: ChangeSink;
};

/** All CRM data of one sandbox portal; `POST /__sandbox/reset` replaces it with a fresh one. */
export class CrmState {
  readonly contacts: RecordStore;
  readonly deals: RecordStore;
  readonly associations = new AssociationStore();
  /** Marketing campaigns: not CRM objects, but portal data that a reset clears with the rest. */
  readonly campaigns = new CampaignStore();
  readonly clock: SandboxClock;
  readonly lifecycleDates: LifecycleDatesMode;
  readonly portalId: number;
  readonly sink: ChangeSink;
  /** One id sequence for both types, so an id used with the wrong type finds nothing. */
  #nextId = 1001;

  constructor(options: CrmStateOptions) {
    this.clock = options.clock;
    this.lifecycleDates = options.lifecycleDates;
    this.portalId = options.portalId;
    this.sink = options.sink;
    const registry = (type: ObjectTypeName) =>
      new PropertyRegistry(type, options.lifecycleDates, options.currency, options.portalId);
    this.contacts = new RecordStore(CONTACTS, registry('contacts'));
    this.deals = new RecordStore(DEALS, registry('deals'));
  }

  store(type: ObjectTypeInfo | ObjectTypeName): RecordStore {
    const name = typeof type === 'string' ? type : type.name;
    return name === 'contacts' ? this.contacts : this.deals;
  }

  nextId(): number {
    return this.#nextId++;
  }

  /** Seeding may bring its own ids; later ids must not collide with them. */
  claimId(id: number): void {
    if (id >= this.#nextId) this.#nextId = id + 1;
  }
}

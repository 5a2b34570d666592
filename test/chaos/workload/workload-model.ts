import type { Random } from './portal-seed.ts';

export interface LeadState {
  leadDate: number;
  stage: string;
}

export interface DealState {
  createdAt: number;
  renewal: boolean;
  closed: boolean;
}

const link = (contactId: string, dealId: string) => `${contactId}:${dealId}`;

/**
 * What the workload believes the portal holds, so each operation picks something it can act on:
 * live and deleted (restorable) records, and the links between contacts and deals. Deleted
 * records keep their links (a restore brings them back); merges and privacy deletions do not.
 */
export class WorkloadModel {
  readonly today: number;
  readonly contacts = new Map<string, LeadState>();
  readonly deals = new Map<string, DealState>();
  readonly deletedContacts = new Map<string, LeadState>();
  readonly deletedDeals = new Map<string, DealState>();
  readonly links = new Set<string>();
  /** Makes every email unique within the run. */
  readonly runTag: string;
  #serial = 0;

  constructor(today: number, runTag: string) {
    this.today = today;
    this.runTag = runTag;
  }

  nextSerial(): string {
    return `${this.runTag}-${++this.#serial}`;
  }

  link(contactId: string, dealId: string): void {
    this.links.add(link(contactId, dealId));
  }

  unlink(contactId: string, dealId: string): void {
    this.links.delete(link(contactId, dealId));
  }

  /** A link between a live contact and a live deal, if any. */
  liveLink(random: Random): [string, string] | undefined {
    const live = [...this.links]
      .map((entry) => entry.split(':') as [string, string])
      .filter(([c, d]) => this.contacts.has(c) && this.deals.has(d));
    return live.length === 0 ? undefined : random.pick(live);
  }

  linked(contactId: string, dealId: string): boolean {
    return this.links.has(link(contactId, dealId));
  }

  /** Leads of a deal, live ones, earliest lead date first. */
  leadsOf(dealId: string): LeadState[] {
    return [...this.links]
      .map((entry) => entry.split(':') as [string, string])
      .filter(([c, d]) => d === dealId && this.contacts.has(c))
      .map(([c]) => this.contacts.get(c) as LeadState)
      .sort((a, b) => a.leadDate - b.leadDate);
  }

  /** Both contacts become `into`: their links move over, the older lead date and the furthest stage stay. */
  merge(a: string, b: string, into: string, stageOrder: readonly string[]): void {
    const [first, second] = [this.contacts.get(a), this.contacts.get(b)] as [LeadState, LeadState];
    const rank = (stage: string) => stageOrder.indexOf(stage);
    this.contacts.delete(a);
    this.contacts.delete(b);
    this.contacts.set(into, {
      leadDate: Math.min(first.leadDate, second.leadDate),
      stage: rank(first.stage) >= rank(second.stage) ? first.stage : second.stage,
    });
    for (const entry of [...this.links]) {
      const [c, d] = entry.split(':') as [string, string];
      if (c !== a && c !== b) continue;
      this.links.delete(entry);
      this.links.add(link(into, d));
    }
  }

  /** A privacy deletion: the contact and its links are gone for good. */
  purge(contactId: string): void {
    this.contacts.delete(contactId);
    this.deletedContacts.delete(contactId);
    for (const entry of [...this.links]) if (entry.startsWith(`${contactId}:`)) this.links.delete(entry);
  }

  randomKey<T>(map: Map<string, T>, random: Random): string | undefined {
    if (map.size === 0) return undefined;
    const index = random.int(0, map.size - 1);
    let i = 0;
    for (const key of map.keys()) if (i++ === index) return key;
    return undefined;
  }
}

import type { DemoSeed, SeedRecord } from '../../src/demo/demo-portal.ts';
import { generateDemoPortal } from '../../src/demo/generate-portal.ts';

/** Ids of one copy sit this far above the previous copy's, clear of the demo's own ranges. */
const ID_STRIDE = 10_000_000;

function shifted(record: SeedRecord, offset: number): SeedRecord {
  const id = String(Number(record.id) + offset);
  const properties = { ...record.properties };
  if (properties.email !== undefined) properties.email = `lead${id}@example.com`;
  return { id, properties };
}

/**
 * The demo portal `copies` times over (each copy drawn with its own seed, ids and emails moved
 * apart), in the same twelve campaigns: a portal that many times larger with the same shape.
 * One seed per copy, so no seed request grows past the sandbox's body limit.
 */
export function scaledDemoPortal(now: number, copies: number): DemoSeed[] {
  return Array.from({ length: copies }, (_, copy) => {
    const portal = generateDemoPortal(now, 2026 + copy);
    const offset = copy * ID_STRIDE;
    return {
      contacts: portal.contacts.map((contact) => shifted(contact, offset)),
      deals: portal.deals.map((deal) => shifted(deal, offset)),
      associations: portal.associations.map((link) => ({
        contactId: String(Number(link.contactId) + offset),
        dealId: String(Number(link.dealId) + offset),
      })),
    };
  });
}

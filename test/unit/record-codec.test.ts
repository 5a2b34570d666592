import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContactRecord, DealRecord } from '../../src/store/projection.ts';
import {
  contactCodes,
  contactNames,
  decodeContact,
  decodeDeal,
  encodeContact,
  encodeDeal,
} from '../../src/store/record-codec.ts';
import { memoryDictionary } from '../support/memory-dictionary.ts';

const STAGES = [
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  '12345678',
];
const date = fc.oneof(
  fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
  fc.integer({ min: -2_000_000_000_000, max: 4_000_000_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e16, max: 1e16 }),
);
const id = fc.stringMatching(/^[0-9a-z-]{1,12}$/);

const contactArbitrary: fc.Arbitrary<ContactRecord> = fc.record({
  campaign: fc.oneof(
    fc.constantFrom('(none)', 'Webinar', '0f3c2a4e-8b1d-4c6f-9e2a-7d5b3c1a9f08'),
    fc.string(),
  ),
  leadDate: fc.option(date),
  stage: fc.option(fc.oneof(fc.constantFrom(...STAGES), fc.string())),
  stageEntered: fc.dictionary(fc.constantFrom(...STAGES), date),
  dealIds: fc.uniqueArray(id, { maxLength: 4 }),
});

const dealArbitrary: fc.Arbitrary<DealRecord> = fc.record({
  pipeline: fc.oneof(fc.constantFrom('default', 'renewals'), fc.string()),
  createdAt: date,
  closedAt: fc.option(date),
  won: fc.boolean(),
  lost: fc.boolean(),
  amount: fc.option(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer())),
  contactIds: fc.uniqueArray(id, { maxLength: 4 }),
});

describe('record codec', () => {
  it('reads back exactly the contact it stored, whatever its names and dates', () => {
    fc.assert(
      fc.property(contactArbitrary, (contact) => {
        const { codeOf, names } = memoryDictionary();
        const stored = encodeContact(contact, codeOf);
        expect(decodeContact(stored, names)).toEqual(contact);
        expect(new Set(contactCodes(stored))).toEqual(new Set(contactNames(contact).map(codeOf)));
      }),
      { seed: 2026, numRuns: 500 },
    );
  });

  it('reads back exactly the deal it stored', () => {
    fc.assert(
      fc.property(dealArbitrary, (deal) => {
        const { codeOf, names } = memoryDictionary();
        expect(decodeDeal(encodeDeal(deal, codeOf), names)).toEqual(deal);
      }),
      { seed: 2026, numRuns: 500 },
    );
  });

  it('keeps a typical lead contact well inside a listpack entry (64 bytes)', () => {
    const { codeOf } = memoryDictionary();
    const leadDate = 1_767_225_600_123;
    const contact: ContactRecord = {
      campaign: '0f3c2a4e-8b1d-4c6f-9e2a-7d5b3c1a9f08',
      leadDate,
      stage: 'opportunity',
      stageEntered: {
        lead: leadDate,
        marketingqualifiedlead: leadDate + 3 * 86_400_000 + 1_234,
        salesqualifiedlead: leadDate + 20 * 86_400_000 + 5_678,
        opportunity: leadDate + 41 * 86_400_000 + 91_011,
      },
      dealIds: ['31245678901'],
    };
    const stored = encodeContact(contact, codeOf);
    expect(stored).toBe('5,mjuohs3f,4,1:0;2:4abkya;3:skt5pq;4:1ml3vk3,31245678901');
    expect(stored.length).toBeLessThanOrEqual(64);
  });

  it('refuses ids it could not read back, and malformed stored records', () => {
    const { codeOf, names } = memoryDictionary();
    const contact: ContactRecord = {
      campaign: 'x',
      leadDate: null,
      stage: null,
      stageEntered: {},
      dealIds: ['1,2'],
    };
    expect(() => encodeContact(contact, codeOf)).toThrow('"1,2"');
    expect(() => decodeContact('1,,,', names)).toThrow(/malformed/);
    expect(() => decodeDeal('1,abc,,00,,,', names)).toThrow(/malformed/);
    expect(() => decodeDeal('1,a?c,,00,,', names)).toThrow(/malformed/);
  });
});

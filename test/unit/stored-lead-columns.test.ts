import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leadColumnsBuilder } from '../../src/core/lead-columns.ts';
import { decodeLeadFigures, encodeLeadFigures } from '../../src/store/lead-figures-codec.ts';
import { addStoredLead } from '../../src/store/stored-lead-columns.ts';
import { leadFiguresArbitrary } from '../support/lead-figures-arbitrary.ts';

describe('addStoredLead', () => {
  it('reads stored figures into columns exactly as decodeLeadFigures does', () => {
    fc.assert(
      fc.property(fc.array(leadFiguresArbitrary, { maxLength: 30 }), (leads) => {
        const fromStored = new Map<string, ReturnType<typeof leadColumnsBuilder>>();
        const fromDecoded = new Map<string, ReturnType<typeof leadColumnsBuilder>>();
        const builder = (builders: typeof fromStored, campaign: string) => {
          if (!builders.has(campaign)) builders.set(campaign, leadColumnsBuilder(1));
          return builders.get(campaign) as ReturnType<typeof leadColumnsBuilder>;
        };
        for (const lead of leads) {
          const text = encodeLeadFigures(lead);
          addStoredLead(text, (campaign) => builder(fromStored, campaign));
          const decoded = decodeLeadFigures(text);
          builder(fromDecoded, decoded.campaign).add(decoded);
        }
        const columns = (builders: typeof fromStored) =>
          new Map([...builders].map(([campaign, b]) => [campaign, b.columns()]));
        expect(columns(fromStored)).toEqual(columns(fromDecoded));
      }),
      { seed: 2026, numRuns: 200 },
    );
  });
});

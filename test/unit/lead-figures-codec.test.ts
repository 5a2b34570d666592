import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LeadColumnsBuilder, leadColumnsBuilder } from '../../src/core/lead-columns.ts';
import type { LeadFigures } from '../../src/core/lead-figures.ts';
import {
  decodeLeadFigures,
  encodeLeadFigures,
  storedLeadReader,
} from '../../src/store/lead-figures-codec.ts';
import { leadFiguresArbitrary } from '../support/lead-figures-arbitrary.ts';
import { memoryDictionary } from '../support/memory-dictionary.ts';

const lead: LeadFigures = {
  campaign: '0f3c2a4e-8b1d-4c6f-9e2a-7d5b3c1a9f08',
  leadDate: 1_760_000_000_123,
  status: 'won',
  opportunity: true,
  opportunityDate: 1_761_000_000_000,
  closedDate: 1_765_000_000_000,
  revenue: 150,
  wonDeals: 1.5,
  wonShares: [
    { of: 1, cents: 10_000 },
    { of: 2, cents: 10_000 },
  ],
  stage: 3,
  skipped: false,
};

/** Columns per campaign from the bytes reader, and from decoded figures, for the same values. */
function bothWays(leads: readonly LeadFigures[]) {
  const { codeOf, names } = memoryDictionary();
  const texts = leads.map((figures) => encodeLeadFigures(figures, codeOf));
  const builders = new Map<string, LeadColumnsBuilder>();
  const reader = storedLeadReader((code) => {
    const builder = leadColumnsBuilder(1);
    builders.set(names.nameOf(code), builder);
    return builder;
  });
  for (const text of texts) reader.add(Buffer.from(text));
  const bytes = new Map([...builders].map(([campaign, builder]) => [campaign, builder.columns()]));
  const decoded = texts.map((text) => decodeLeadFigures(text, names));
  const fromDecoded = new Map<string, LeadColumnsBuilder>();
  for (const figures of decoded) {
    if (!fromDecoded.has(figures.campaign)) fromDecoded.set(figures.campaign, leadColumnsBuilder(1));
    fromDecoded.get(figures.campaign)?.add(figures);
  }
  const expected = new Map([...fromDecoded].map(([campaign, builder]) => [campaign, builder.columns()]));
  return { bytes, expected };
}

describe('lead figures codec', () => {
  it('stores a lead in a few dozen bytes, names as codes, dates in base 36, deals sorted', () => {
    const { codeOf } = memoryDictionary();
    expect(encodeLeadFigures(lead, codeOf)).toBe('1,mgj6k3gb,w103,mgzpxkao,mitvfg1s,1:10000;2:10000');
  });

  it('reads back exactly what it stored, for any lead', () => {
    fc.assert(
      fc.property(fc.array(leadFiguresArbitrary, { maxLength: 20 }), (leads) => {
        const { codeOf, names } = memoryDictionary();
        for (const figures of leads) {
          const decoded = decodeLeadFigures(encodeLeadFigures(figures, codeOf), names);
          // Won deals come back sorted, so their sums may differ in the last bit.
          const { wonShares, revenue, wonDeals } = decoded;
          expect(decoded).toEqual({ ...figures, wonShares, revenue, wonDeals });
          expect(new Set(wonShares)).toEqual(new Set(figures.wonShares));
          expect(revenue).toBeCloseTo(figures.revenue, 6);
          expect(wonDeals).toBeCloseTo(figures.wonDeals, 9);
        }
      }),
      { seed: 2026, numRuns: 300 },
    );
  });

  it('keeps dates that are not whole milliseconds, and negative ones, exactly', () => {
    const { codeOf, names } = memoryDictionary();
    const odd = { ...lead, leadDate: 1_700_000_000_000.5, opportunityDate: -86_400_000, closedDate: 2 ** 60 };
    const { revenue, wonDeals, ...rest } = odd;
    expect(decodeLeadFigures(encodeLeadFigures(odd, codeOf), names)).toMatchObject(rest);
  });

  it('encodes equal figures to equal strings whatever the order of their won deals', () => {
    const { codeOf } = memoryDictionary();
    const reversed = { ...lead, wonShares: [...lead.wonShares].reverse() };
    expect(encodeLeadFigures(reversed, codeOf)).toBe(encodeLeadFigures(lead, codeOf));
  });

  it('gives the statistics scan the same columns as decoding each lead', () => {
    fc.assert(
      fc.property(fc.array(leadFiguresArbitrary, { maxLength: 40 }), (leads) => {
        const { bytes, expected } = bothWays(leads);
        expect(bytes).toEqual(expected);
      }),
      { seed: 2026, numRuns: 300 },
    );
    const { bytes, expected } = bothWays([
      { ...lead, leadDate: 1.5, closedDate: 2 ** 60, opportunityDate: -5 },
    ]);
    expect(bytes).toEqual(expected);
  });

  it.each([
    ['too few fields', '1,mgeldshn,w103,,'],
    ['an unknown status', '1,mgeldshn,x103,,,'],
    ['a stage beyond the funnel', '1,mgeldshn,o007,,,'],
    ['a broken date', '1,mg?ldshn,o000,,,'],
    ['a broken won deal', '1,mgeldshn,w000,,,2:x'],
    ['an extra field', '1,mgeldshn,o000,,,,'],
  ])('refuses stored figures with %s, naming them', (_, text) => {
    const { codeOf, names } = memoryDictionary();
    codeOf('Webinar');
    expect(() => decodeLeadFigures(text, names)).toThrow(text);
  });

  it('refuses a campaign code the dictionary does not define', () => {
    expect(() => decodeLeadFigures('7,mgeldshn,o000,,,', memoryDictionary().names)).toThrow(/code 7/);
  });

  it('makes the bytes reader refuse what decoding refuses', () => {
    const reader = storedLeadReader(() => leadColumnsBuilder(1));
    for (const text of ['1,mgeldshn,x103,,,', 'a,mgeldshn,o000,,,', '1,mgeldshn,o000,,'])
      expect(() => reader.add(Buffer.from(text))).toThrow(/malformed/);
  });
});

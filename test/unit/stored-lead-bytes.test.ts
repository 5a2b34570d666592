import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LeadColumnsBuilder, leadColumnsBuilder } from '../../src/core/lead-columns.ts';
import { encodeLeadFigures } from '../../src/store/lead-figures-codec.ts';
import { storedLeadReader } from '../../src/store/stored-lead-bytes.ts';
import { addStoredLead } from '../../src/store/stored-lead-columns.ts';
import { leadFiguresArbitrary } from '../support/lead-figures-arbitrary.ts';

/** Columns per campaign, the map they are kept in, and the lookup that fills it. */
function columnsByCampaign() {
  const builders = new Map<string, LeadColumnsBuilder>();
  const columnsOf = (campaign: string) => {
    if (!builders.has(campaign)) builders.set(campaign, leadColumnsBuilder(1));
    return builders.get(campaign) as LeadColumnsBuilder;
  };
  const columns = () => new Map([...builders].map(([campaign, builder]) => [campaign, builder.columns()]));
  return { columnsOf, columns };
}

/** What the bytes reader and JSON.parse make of the same stored values, in the same order. */
function bothWays(texts: readonly string[]) {
  const fromBytes = columnsByCampaign();
  const reader = storedLeadReader(fromBytes.columnsOf);
  const fromJson = columnsByCampaign();
  for (const text of texts) {
    reader.add(Buffer.from(text));
    addStoredLead(text, fromJson.columnsOf);
  }
  return { bytes: fromBytes.columns(), json: fromJson.columns() };
}

describe('storedLeadReader', () => {
  it('reads what the codec stores exactly as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.array(leadFiguresArbitrary, { maxLength: 40 }), (leads) => {
        const { bytes, json } = bothWays(leads.map(encodeLeadFigures));
        expect(bytes).toEqual(json);
      }),
      { seed: 2026, numRuns: 300 },
    );
  });

  it('reads any other JSON of the same fields as JSON.parse does', () => {
    const texts = [
      '{"c":"Webinar","d":1700000000000,"s":"w","o":1,"p":[[2,100]],"t":3,"k":0,"od":1700000000001,"cd":1700000000002}',
      '{"d":1700000000000,"c":"Webinar","s":"o","o":0,"p":[],"t":0,"k":0}',
      '{"c":"Webinar","d":1.7e12,"s":"o","o":0,"p":[],"t":1,"k":0}',
      '{"c":"Webinar","d":1700000000000.5,"s":"l","o":1,"p":[],"t":3,"k":1,"cd":1700000000009}',
      '{"c":"Web\\u0069nar","d":-86400000,"s":"o","o":0,"p":[],"t":2,"k":0}',
      '{"c":"Spring \\"Sale\\"","d":1700000000000,"s":"o","o":0,"p":[],"t":0,"k":0}',
      '{"c":"Herbst-Aktion Köln","d":1700000000000,"s":"o","o":0,"p":[],"t":0,"k":0}',
      '{"c":"Webinar","d":12345678901234567,"s":"o","o":0,"p":[],"t":0,"k":0}',
      // Digit by digit this is 368862006098740350; JSON.parse rounds it correctly.
      '{"c":"Webinar","d":368862006098740300,"s":"o","o":0,"p":[],"t":0,"k":0}',
      '{"c":"Webinar","d":1700000000000,"s":"x","o":2,"p":[],"t":0,"k":0}',
      '{"c":"Webinar", "d":1700000000000,"s":"o","o":0,"p":[],"t":0,"k":0}',
      '{"c":"Webinar","d":1700000000000,"s":"o","o":0,"p":[],"t":0,"k":0,"x":1}',
      '{"c":"Webinar","d":1700000000000,"s":"o","o":0,"t":0,"k":0}',
    ];
    const { bytes, json } = bothWays(texts);
    expect(bytes).toEqual(json);
    expect([...bytes.values()].reduce((sum, columns) => sum + columns.length, 0)).toBe(texts.length);
  });
});

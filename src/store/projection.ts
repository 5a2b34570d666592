import type { Redis } from 'ioredis';
import type { CampaignTotals } from '../core/campaign-figures.ts';
import type { LeadFigures } from '../core/lead-figures.ts';
import { bucketKey, idsFrom, readBucketed, scanBuckets, storedIds } from './buckets.ts';
import type { ProjectionKeys } from './keys.ts';
import { decodeLeadFigures, encodeLeadFigures, storedLeadCampaignCode } from './lead-figures-codec.ts';
import { type NameTable, nameCodes } from './name-codes.ts';
import {
  contactCodes,
  contactNames,
  dealCodes,
  decodeContact,
  decodeDeal,
  encodeContact,
  encodeDeal,
} from './record-codec.ts';
import { pipelineScripts, scripts } from './scripts.ts';
import { totalsOfFields } from './totals-fields.ts';

/** What the projection keeps of a contact. Dates are epoch ms. */
export interface ContactRecord {
  readonly campaign: string;
  readonly leadDate: number | null;
  readonly stage: string | null;
  readonly stageEntered: Readonly<Record<string, number>>;
  readonly dealIds: readonly string[];
}

/** What the projection keeps of a deal. */
export interface DealRecord {
  readonly pipeline: string;
  readonly createdAt: number;
  readonly closedAt: number | null;
  readonly won: boolean;
  readonly lost: boolean;
  readonly amount: number | null;
  readonly contactIds: readonly string[];
}

/**
 * One generation of the projection: contacts, deals, lead figures, campaign totals and
 * membership. Records and lead figures are spread over small bucket hashes (buckets.ts) in a
 * compact encoding (record-codec.ts, lead-figures-codec.ts) whose names are codes of the
 * generation's dictionary (name-codes.ts). Record writes are plain (one sync runs at a time per
 * portal); lead figures and campaign membership change only through the scripts, which keep
 * totals exact under concurrency. Totals and member sets are per campaign code.
 */
export function projection(redis: Redis, keys: ProjectionKeys) {
  const run = scripts(redis);
  const dictionary = nameCodes(redis, keys);
  async function read<T>(
    base: string,
    ids: readonly string[],
    codesIn: (text: string) => readonly string[],
    decode: (text: string, names: NameTable) => T,
  ): Promise<Map<string, T>> {
    const stored = await readBucketed(redis, base, ids);
    const names = await dictionary.table([...stored.values()].flatMap(codesIn));
    return new Map([...stored].map(([id, text]) => [id, decode(text, names)]));
  }
  async function* scan<T>(
    base: string,
    codesIn: (text: string) => readonly string[],
    decode: (text: string, names: NameTable) => T,
  ): AsyncGenerator<[string, T][]> {
    for await (const flat of scanBuckets(redis, base)) {
      const texts: [string, string][] = [];
      for (let at = 0; at + 1 < flat.length; at += 2)
        texts.push([(flat[at] as Buffer).toString(), (flat[at + 1] as Buffer).toString()]);
      const names = await dictionary.table(texts.flatMap(([, text]) => codesIn(text)));
      yield texts.map(([id, text]) => [id, decode(text, names)]);
    }
  }
  const leadCode = (text: string) => [storedLeadCampaignCode(text)];
  return {
    keys,
    contacts: (ids: readonly string[]) => read(keys.contacts, ids, contactCodes, decodeContact),
    deals: (ids: readonly string[]) => read(keys.deals, ids, dealCodes, decodeDeal),
    leads: (ids: readonly string[]) => read(keys.leads, ids, leadCode, decodeLeadFigures),

    async write(changes: {
      contacts?: ReadonlyMap<string, ContactRecord | null>;
      deals?: ReadonlyMap<string, DealRecord | null>;
    }): Promise<void> {
      const contacts = [...(changes.contacts ?? [])];
      const deals = [...(changes.deals ?? [])];
      const codeOf = await dictionary.codesOf([
        ...contacts.flatMap(([, record]) => (record ? contactNames(record) : [])),
        ...deals.flatMap(([, record]) => (record ? [record.pipeline] : [])),
      ]);
      const pipeline = redis.pipeline();
      for (const [id, record] of contacts) {
        if (record) pipeline.hset(bucketKey(keys.contacts, id), id, encodeContact(record, codeOf));
        else pipeline.hdel(bucketKey(keys.contacts, id), id);
      }
      for (const [id, record] of deals) {
        if (record) pipeline.hset(bucketKey(keys.deals, id), id, encodeDeal(record, codeOf));
        else pipeline.hdel(bucketKey(keys.deals, id), id);
      }
      const results = (await pipeline.exec()) ?? [];
      for (const [error] of results) if (error) throw error;
    },

    /** Replaces lead figures (null removes the lead); returns how many changed. */
    async applyLeads(changes: ReadonlyMap<string, LeadFigures | null>): Promise<number> {
      const codeOf = await dictionary.codesOf(
        [...changes.values()].flatMap((lead) => (lead ? [lead.campaign] : [])),
      );
      const pipeline = redis.pipeline();
      const run = pipelineScripts(pipeline);
      for (const [id, figures] of changes) {
        const stored = figures ? encodeLeadFigures(figures, codeOf) : '';
        run.closeloopApplyLead(bucketKey(keys.leads, id), keys.totals, keys.leadMembers, id, stored);
      }
      const results = (await pipeline.exec()) ?? [];
      for (const [error] of results) if (error) throw error;
      return results.reduce((sum, [, changed]) => sum + Number(changed), 0);
    },

    async applyDealCampaigns(changes: ReadonlyMap<string, string | null>): Promise<void> {
      const codeOf = await dictionary.codesOf(
        [...changes.values()].flatMap((campaign) => (campaign ? [campaign] : [])),
      );
      const pipeline = redis.pipeline();
      const run = pipelineScripts(pipeline);
      for (const [id, campaign] of changes) {
        const code = campaign ? codeOf(campaign) : '';
        run.closeloopApplyDealCampaign(bucketKey(keys.dealCampaigns, id), keys.dealMembers, id, code);
      }
      const results = (await pipeline.exec()) ?? [];
      for (const [error] of results) if (error) throw error;
    },

    /** Every campaign's totals in one read (the names after the totals: a code exists before its totals). */
    async totals(): Promise<CampaignTotals[]> {
      // Not pipelined: a NOSCRIPT retry would run the totals script after the names read.
      const fields = (await run.closeloopReadTotals(keys.totals)) as string;
      return totalsOfFields(fields, await redis.hgetall(keys.names));
    },

    /** Every lead's figures, a batch of buckets at a time (each lead exactly once). */
    scanLeads: () => scan(keys.leads, leadCode, decodeLeadFigures),
    scanContacts: () => scan(keys.contacts, contactCodes, decodeContact),
    scanDeals: () => scan(keys.deals, dealCodes, decodeDeal),

    /**
     * Record ids from bucket `from` on (see buckets.ts' idsFrom): a walk that can stop and resume
     * with `next`, which is 0 once every bucket was read.
     */
    idsFrom: (part: 'contacts' | 'deals', from: number, want: number) =>
      idsFrom(redis, keys[part], from, want),
    /** Whether each id has a stored record. */
    stored: (part: 'contacts' | 'deals', ids: readonly string[]) => storedIds(redis, keys[part], ids),

    /** Names of the given codes (for readers of `scanBuckets`' raw values). */
    names: (codes: Iterable<string>) => dictionary.table(codes),

    leadIdsOf: async (campaign: string) => {
      const code = await dictionary.existingCode(campaign);
      return code === undefined ? [] : redis.smembers(`${keys.leadMembers}${code}`);
    },
    dealIdsOf: async (campaign: string) => {
      const code = await dictionary.existingCode(campaign);
      return code === undefined ? [] : redis.smembers(`${keys.dealMembers}${code}`);
    },
    dealCampaigns: async (ids: readonly string[]) =>
      read(
        keys.dealCampaigns,
        ids,
        (code) => [code],
        (code, names) => names.nameOf(code),
      ),
  };
}

export type Projection = ReturnType<typeof projection>;

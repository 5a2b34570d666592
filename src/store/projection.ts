import type { Redis } from 'ioredis';
import type { CampaignTotals } from '../core/campaign-figures.ts';
import { fromDenominatorSums, type LeadFigures } from '../core/lead-figures.ts';
import type { ProjectionKeys } from './keys.ts';
import { decodeLeadFigures, encodeLeadFigures } from './lead-figures-codec.ts';
import { pipelineScripts, scripts } from './scripts.ts';

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

/** One campaign's totals from its fields: counts, and whole cents and deals per share denominator. */
function campaignTotals(campaign: string, values: Readonly<Record<string, number>>): CampaignTotals {
  const shares = new Map<number, { cents: number; deals: number }>();
  for (const [name, value] of Object.entries(values)) {
    const kind = name.slice(0, 2);
    if (kind !== 'r/' && kind !== 'w/') continue;
    const of = Number(name.slice(2));
    const sum = shares.get(of) ?? { cents: 0, deals: 0 };
    shares.set(of, kind === 'r/' ? { ...sum, cents: value } : { ...sum, deals: value });
  }
  const get = (name: string) => values[name] ?? 0;
  return {
    campaign,
    leads: get('leads'),
    opportunities: get('opportunities'),
    won: get('won'),
    lost: get('lost'),
    open: get('open'),
    ...fromDenominatorSums(shares),
    stageSkips: get('stageSkips'),
  };
}

async function readJson<T>(redis: Redis, key: string, ids: readonly string[]): Promise<Map<string, T>> {
  if (ids.length === 0) return new Map();
  const values = await redis.hmget(key, ...ids);
  const found = new Map<string, T>();
  ids.forEach((id, index) => {
    const value = values[index];
    if (value) found.set(id, JSON.parse(value) as T);
  });
  return found;
}

/**
 * One generation of the projection: contacts, deals, lead figures, campaign totals and
 * membership. Record writes are plain (one sync runs at a time per portal); lead figures and
 * campaign membership change only through the scripts, which keep totals exact under concurrency.
 */
export function projection(redis: Redis, keys: ProjectionKeys) {
  scripts(redis);
  return {
    keys,
    contacts: (ids: readonly string[]) => readJson<ContactRecord>(redis, keys.contacts, ids),
    deals: (ids: readonly string[]) => readJson<DealRecord>(redis, keys.deals, ids),

    async write(changes: {
      contacts?: ReadonlyMap<string, ContactRecord | null>;
      deals?: ReadonlyMap<string, DealRecord | null>;
    }): Promise<void> {
      const pipeline = redis.pipeline();
      for (const [key, records] of [
        [keys.contacts, changes.contacts],
        [keys.deals, changes.deals],
      ] as const) {
        for (const [id, record] of records ?? []) {
          if (record) pipeline.hset(key, id, JSON.stringify(record));
          else pipeline.hdel(key, id);
        }
      }
      await pipeline.exec();
    },

    async leads(ids: readonly string[]): Promise<Map<string, LeadFigures>> {
      if (ids.length === 0) return new Map();
      const values = await redis.hmget(keys.leads, ...ids);
      const found = new Map<string, LeadFigures>();
      ids.forEach((id, index) => {
        const value = values[index];
        if (value) found.set(id, decodeLeadFigures(value));
      });
      return found;
    },

    /** Replaces lead figures (null removes the lead); returns how many changed. */
    async applyLeads(changes: ReadonlyMap<string, LeadFigures | null>): Promise<number> {
      const pipeline = redis.pipeline();
      const run = pipelineScripts(pipeline);
      for (const [id, figures] of changes) {
        run.closeloopApplyLead(
          keys.leads,
          keys.totals,
          keys.leadMembers,
          id,
          figures ? encodeLeadFigures(figures) : '',
        );
      }
      const results = (await pipeline.exec()) ?? [];
      for (const [error] of results) if (error) throw error;
      return results.reduce((sum, [, changed]) => sum + Number(changed), 0);
    },

    async applyDealCampaigns(changes: ReadonlyMap<string, string | null>): Promise<void> {
      const pipeline = redis.pipeline();
      const run = pipelineScripts(pipeline);
      for (const [id, campaign] of changes) {
        run.closeloopApplyDealCampaign(keys.dealCampaigns, keys.dealMembers, id, campaign ?? '');
      }
      const results = (await pipeline.exec()) ?? [];
      for (const [error] of results) if (error) throw error;
    },

    /** Every campaign's totals in one read. */
    async totals(): Promise<CampaignTotals[]> {
      const raw = await redis.hgetall(keys.totals);
      const byCampaign = new Map<string, Record<string, number>>();
      for (const [field, value] of Object.entries(raw)) {
        const cut = field.lastIndexOf('\u001f');
        const campaign = field.slice(0, cut);
        const entry = byCampaign.get(campaign) ?? {};
        entry[field.slice(cut + 1)] = Number(value);
        byCampaign.set(campaign, entry);
      }
      return [...byCampaign].map(([campaign, values]) => campaignTotals(campaign, values));
    },

    /** Every lead's figures, a slice at a time (HSCAN: a lead may repeat across slices; callers key by id). */
    async *scanLeads(count = 2000): AsyncGenerator<[string, LeadFigures][]> {
      let cursor = '0';
      do {
        const [next, flat] = await redis.hscan(keys.leads, cursor, 'COUNT', count);
        cursor = next;
        const slice: [string, LeadFigures][] = [];
        for (let index = 0; index + 1 < flat.length; index += 2) {
          slice.push([flat[index] as string, decodeLeadFigures(flat[index + 1] as string)]);
        }
        yield slice;
      } while (cursor !== '0');
    },

    leadIdsOf: (campaign: string) => redis.smembers(`${keys.leadMembers}${campaign}`),
    dealIdsOf: (campaign: string) => redis.smembers(`${keys.dealMembers}${campaign}`),
    dealCampaigns: async (ids: readonly string[]) => {
      if (ids.length === 0) return new Map<string, string>();
      const values = await redis.hmget(keys.dealCampaigns, ...ids);
      return new Map(
        ids.flatMap((id, index) => (values[index] ? [[id, values[index] as string] as const] : [])),
      );
    },
  };
}

export type Projection = ReturnType<typeof projection>;

import { createHash } from 'node:crypto';
import { z } from 'zod';
import { validationError } from './hubspot-errors.ts';

/** One budget or spend line of a campaign (HubSpot's PublicBudgetItem / PublicSpendItem). */
export type BudgetLine = {
  id: string;
  name: string;
  amount: number;
  description?: string;
  /** 0 is the oldest line of its list. */
  order: number;
  createdAt: number;
  updatedAt: number;
};

export type StoredCampaign = {
  /** A lowercase GUID: HubSpot's `campaignGuid`. */
  id: string;
  name: string;
  /** `YYYY-MM-DD`, as HubSpot keeps `hs_start_date` / `hs_end_date`. */
  startDate?: string;
  endDate?: string;
  currency: string;
  createdAt: number;
  updatedAt: number;
  budget: BudgetLine[];
  spend: BudgetLine[];
};

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

const seedLine = z.strictObject({
  name: z.string().trim().min(1),
  amount: z.number().min(0),
  description: z.string().optional(),
});

export const campaignSeedSchema = z.strictObject({
  id: z
    .guid()
    .transform((id) => id.toLowerCase())
    .optional(),
  name: z.string().trim().min(1),
  startDate: z.iso.date().optional(),
  endDate: z.iso.date().optional(),
  currency: z
    .string()
    .refine((code) => CURRENCIES.has(code), 'not an ISO 4217 currency code')
    .optional(),
  spend: z.array(seedLine).default([]),
  budget: z.array(seedLine).default([]),
});

export type CampaignSeed = z.output<typeof campaignSeedSchema>;

export type SeedDefaults = { now: number; currency: string; portalId: number };

/** A GUID that is the same for the same portal and sequence number, so runs are reproducible. */
function stableGuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The campaigns of one sandbox portal, in creation order (the order the list endpoint pages through). */
export class CampaignStore {
  #campaigns = new Map<string, StoredCampaign>();
  #issued = 0;
  #lineIds = 0;

  get size(): number {
    return this.#campaigns.size;
  }

  get(id: string): StoredCampaign | undefined {
    return this.#campaigns.get(id.toLowerCase());
  }

  /** Campaigns whose name contains `name` (any case), one page of them from position `after`. */
  page(after: number, limit: number, name?: string) {
    const needle = name?.toLowerCase();
    const matching = [...this.#campaigns.values()].filter(
      (c) => needle === undefined || c.name.toLowerCase().includes(needle),
    );
    const end = after + limit;
    return {
      campaigns: matching.slice(after, end),
      total: matching.length,
      next: end < matching.length ? end : undefined,
    };
  }

  /**
   * Checks a whole seed (free ids, unique names as HubSpot requires, dates in order) and returns
   * the step that stores it, so a seed with one bad campaign stores none.
   */
  prepareSeed(seeds: readonly CampaignSeed[], defaults: SeedDefaults): () => string[] {
    const ids = new Set<string>();
    const names = new Set([...this.#campaigns.values()].map((c) => c.name.toLowerCase()));
    for (const seed of seeds) {
      if (seed.id !== undefined && (this.#campaigns.has(seed.id) || ids.has(seed.id)))
        throw validationError(`Seed campaign id ${seed.id} is already taken.`);
      if (seed.id !== undefined) ids.add(seed.id);
      if (names.has(seed.name.toLowerCase()))
        throw validationError(`A campaign named "${seed.name}" already exists.`);
      names.add(seed.name.toLowerCase());
      if (seed.startDate && seed.endDate && seed.endDate < seed.startDate)
        throw validationError(`Campaign "${seed.name}" ends before it starts.`);
    }
    return () => seeds.map((seed) => this.#add(seed, ids, defaults));
  }

  #freshId(reserved: Set<string>, portalId: number): string {
    let id: string;
    do id = stableGuid(`${portalId}:campaign:${++this.#issued}`);
    while (this.#campaigns.has(id) || reserved.has(id));
    return id;
  }

  #add(seed: CampaignSeed, reserved: Set<string>, defaults: SeedDefaults): string {
    const id = seed.id ?? this.#freshId(reserved, defaults.portalId);
    const { now } = defaults;
    const lines = (items: CampaignSeed['spend']): BudgetLine[] =>
      items.map((item, order) => ({
        id: String(++this.#lineIds),
        ...item,
        order,
        createdAt: now,
        updatedAt: now,
      }));
    this.#campaigns.set(id, {
      id,
      name: seed.name,
      ...(seed.startDate ? { startDate: seed.startDate } : {}),
      ...(seed.endDate ? { endDate: seed.endDate } : {}),
      currency: seed.currency ?? defaults.currency,
      createdAt: now,
      updatedAt: now,
      budget: lines(seed.budget),
      spend: lines(seed.spend),
    });
    return id;
  }
}

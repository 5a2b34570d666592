import { describe, expect, it } from 'vitest';
import type { CampaignTotals } from '../../src/core/campaign-figures.ts';
import { type LeadFigures, sumWonShares } from '../../src/core/lead-figures.ts';
import { byBucket } from '../../src/store/buckets.ts';
import { decodeLeadFigures } from '../../src/store/lead-figures-codec.ts';
import { type NameTable, nameTable } from '../../src/store/name-codes.ts';
import { type Projection, projection } from '../../src/store/projection.ts';
import { storeFixture } from '../support/store-fixtures.ts';

const store = storeFixture(import.meta.filename);
const redis = store.connect();
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

/** A projection no other test writes to. */
function freshProjection(connection = redis): Projection {
  return projection(connection, store.freshKeys().projection(1));
}

function lead(campaign: string, overrides: Partial<LeadFigures> = {}): LeadFigures {
  return {
    campaign,
    leadDate: T0,
    status: 'open',
    opportunity: false,
    opportunityDate: null,
    closedDate: null,
    revenue: 0,
    wonDeals: 0,
    wonShares: [],
    stage: 0,
    skipped: false,
    ...overrides,
  };
}

/** A won lead holding these deals: [leads sharing the deal, amount in cents]. */
const won = (shares: readonly [number, number][]): Partial<LeadFigures> => {
  const wonShares = shares.map(([of, cents]) => ({ of, cents }));
  return {
    status: 'won',
    opportunity: true,
    opportunityDate: T0 + DAY,
    closedDate: T0 + 9 * DAY,
    ...sumWonShares(wonShares),
    wonShares,
  };
};

function totalsRow(campaign: string, values: Partial<CampaignTotals>): CampaignTotals {
  return {
    campaign,
    leads: 0,
    opportunities: 0,
    won: 0,
    lost: 0,
    open: 0,
    revenue: 0,
    wonDeals: 0,
    stageSkips: 0,
    ...values,
  };
}

const byCampaign = (rows: CampaignTotals[]) => [...rows].sort((a, b) => a.campaign.localeCompare(b.campaign));

describe('projection: lead figures and campaign totals', () => {
  it('adds leads to their campaigns’ totals and membership, in whole cents and deals per share', async () => {
    const p = freshProjection();
    const changed = await p.applyLeads(
      new Map([
        ['1', lead('ads', won([[3, 123_457]]))],
        ['2', lead('ads')],
        ['3', lead('webinar', { status: 'lost', opportunity: true, opportunityDate: T0, closedDate: T0 })],
      ]),
    );
    expect(changed).toBe(3);
    // A third of a 1,234.57 deal: kept as the fraction, not rounded to 411.52 and 0.333333.
    expect(byCampaign(await p.totals())).toEqual([
      totalsRow('ads', {
        leads: 2,
        opportunities: 1,
        won: 1,
        open: 1,
        revenue: 123_457 / 3 / 100,
        wonDeals: 1 / 3,
      }),
      totalsRow('webinar', { leads: 1, opportunities: 1, lost: 1 }),
    ]);
    const ads = await redis.hget(p.keys.codes, 'ads');
    expect(await redis.hget(p.keys.totals, `${ads}\u001fr/3`)).toBe('123457');
    expect((await p.leads(['1'])).get('1')).toMatchObject({ wonShares: [{ of: 3, cents: 123_457 }] });
    expect((await p.leadIdsOf('ads')).sort()).toEqual(['1', '2']);
    expect(await p.leadIdsOf('webinar')).toEqual(['3']);
  });

  it('changes nothing when the same figures are applied again', async () => {
    const p = freshProjection();
    const figures = new Map([['1', lead('ads', won([[1, 50_000]]))]]);
    await p.applyLeads(figures);
    const before = await p.totals();
    expect(await p.applyLeads(new Map([['1', lead('ads', won([[1, 50_000]]))]]))).toBe(0);
    expect(await p.totals()).toEqual(before);
  });

  it('moves a lead between campaigns; a campaign whose last lead leaves disappears', async () => {
    const p = freshProjection();
    await p.applyLeads(new Map([['1', lead('ads', won([[2, 50_000]]))]]));
    await p.applyLeads(new Map([['1', lead('webinar', won([[2, 50_000]]))]]));
    expect(await p.totals()).toEqual([
      totalsRow('webinar', { leads: 1, opportunities: 1, won: 1, revenue: 250, wonDeals: 0.5 }),
    ]);
    expect(await p.leadIdsOf('ads')).toEqual([]);
    expect(await p.leadIdsOf('webinar')).toEqual(['1']);
    // Not just zeros: no field of the empty campaign is left behind in the totals hash.
    const ads = await redis.hget(p.keys.codes, 'ads');
    expect((await redis.hkeys(p.keys.totals)).filter((field) => field.startsWith(`${ads}\u001f`))).toEqual(
      [],
    );
  });

  it('moves a lead between statuses within its campaign', async () => {
    const p = freshProjection();
    await p.applyLeads(
      new Map([
        ['1', lead('ads')],
        ['2', lead('ads')],
      ]),
    );
    await p.applyLeads(new Map([['1', lead('ads', won([[1, 10_000]]))]]));
    expect(await p.totals()).toEqual([
      totalsRow('ads', { leads: 2, opportunities: 1, won: 1, open: 1, revenue: 100, wonDeals: 1 }),
    ]);
  });

  it('removes a lead given null, and removing an absent lead changes nothing', async () => {
    const p = freshProjection();
    await p.applyLeads(
      new Map([
        ['1', lead('ads', won([[1, 10_000]]))],
        ['2', lead('(none)')],
      ]),
    );
    expect(await p.applyLeads(new Map([['1', null]]))).toBe(1);
    expect(await p.applyLeads(new Map([['1', null]]))).toBe(0);
    expect(await p.totals()).toEqual([totalsRow('(none)', { leads: 1, open: 1 })]);
    expect([...(await p.leads(['1', '2'])).keys()]).toEqual(['2']);
    expect(await p.leadIdsOf('ads')).toEqual([]);
  });

  it('adds and removes thirds exactly: a deal shared three ways adds up to the whole deal', async () => {
    const p = freshProjection();
    const third = (id: string) => [id, lead('ads', won([[3, 10_000]]))] as const;
    await p.applyLeads(new Map([third('1'), third('2'), third('3')]));
    // Rounding each lead's share (33.33, 0.333333) would have made it 99.99 and 0.999999.
    expect(await p.totals()).toEqual([
      totalsRow('ads', { leads: 3, opportunities: 3, won: 3, revenue: 100, wonDeals: 1 }),
    ]);
    await p.applyLeads(new Map([['1', null]]));
    await p.applyLeads(new Map([['2', null]]));
    expect(await p.totals()).toEqual([
      totalsRow('ads', { leads: 1, opportunities: 1, won: 1, revenue: 10_000 / 3 / 100, wonDeals: 1 / 3 }),
    ]);
    await p.applyLeads(new Map([['3', null]]));
    expect(await p.totals()).toEqual([]);
    expect(await redis.exists(p.keys.totals)).toBe(0);
  });

  it('keeps revenue beyond 32 bits exact (Lua would print it as 1.2e+12 without care)', async () => {
    const p = freshProjection();
    await p.applyLeads(
      new Map([
        ['1', lead('ads', won([[1, 1_234_567_890_123]]))],
        ['2', lead('ads', won([[1, 1_234_567_890_123]]))],
      ]),
    );
    expect((await p.totals())[0]?.revenue).toBe(24_691_357_802.46);
    await p.applyLeads(new Map([['1', null]]));
    expect((await p.totals())[0]?.revenue).toBe(12_345_678_901.23);
  });
});

describe('projection: deal campaigns', () => {
  it('keeps each deal in its campaign’s set and moves it when its campaign changes', async () => {
    const p = freshProjection();
    await p.applyDealCampaigns(
      new Map([
        ['d1', 'ads'],
        ['d2', 'ads'],
        ['d3', 'webinar'],
      ]),
    );
    expect((await p.dealIdsOf('ads')).sort()).toEqual(['d1', 'd2']);
    expect(Object.fromEntries(await p.dealCampaigns(['d1', 'd2', 'd3', 'd4']))).toEqual({
      d1: 'ads',
      d2: 'ads',
      d3: 'webinar',
    });

    await p.applyDealCampaigns(
      new Map<string, string | null>([
        ['d1', 'webinar'],
        ['d2', null],
        ['d3', 'webinar'],
      ]),
    );
    expect(await p.dealIdsOf('ads')).toEqual([]);
    expect((await p.dealIdsOf('webinar')).sort()).toEqual(['d1', 'd3']);
    expect(Object.fromEntries(await p.dealCampaigns(['d1', 'd2', 'd3']))).toEqual({
      d1: 'webinar',
      d3: 'webinar',
    });
    expect((await p.dealCampaigns([])).size).toBe(0);
  });
});

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type IntegerTotals = Record<string, Record<string, number>>;

/**
 * The totals hash as the test computes it from lead figures: counts, and whole cents and deals per
 * share denominator; a total at zero has no field.
 */
function sumOf(figures: Iterable<LeadFigures>): IntegerTotals {
  const sums: IntegerTotals = {};
  const add = (campaign: string, field: string, by: number) => {
    const row = sums[campaign] ?? {};
    sums[campaign] = row;
    row[field] = (row[field] ?? 0) + by;
    if (row[field] === 0) delete row[field];
  };
  for (const f of figures) {
    add(f.campaign, 'leads', 1);
    add(f.campaign, 'opportunities', f.opportunity ? 1 : 0);
    add(f.campaign, f.status, 1);
    for (const share of f.wonShares) {
      add(f.campaign, `r/${share.of}`, share.cents);
      add(f.campaign, `w/${share.of}`, 1);
    }
  }
  return sums;
}

/** The totals hash by campaign name (its fields are by campaign code). */
function hashRows(totals: Readonly<Record<string, string>>, names: NameTable): IntegerTotals {
  const rows: IntegerTotals = {};
  for (const [field, value] of Object.entries(totals)) {
    const cut = field.lastIndexOf('\u001f');
    const campaign = names.nameOf(field.slice(0, cut));
    const row = rows[campaign] ?? {};
    rows[campaign] = row;
    row[field.slice(cut + 1)] = Number(value);
  }
  return rows;
}

describe('projection under concurrency', () => {
  const CAMPAIGNS = ['ads', 'webinar', 'events', '(none)'];
  const IDS = Array.from({ length: 12 }, (_, index) => `L${index}`);

  function randomShares(next: () => number): [number, number][] {
    return Array.from({ length: 1 + Math.floor(next() * 2) }, () => [
      1 + Math.floor(next() * 7),
      Math.floor(next() * 1_000_000_000),
    ]);
  }

  function randomChanges(next: () => number): Map<string, LeadFigures | null> {
    const changes = new Map<string, LeadFigures | null>();
    const size = 1 + Math.floor(next() * 4);
    for (let n = 0; n < size; n++) {
      const id = IDS[Math.floor(next() * IDS.length)] as string;
      const campaign = CAMPAIGNS[Math.floor(next() * CAMPAIGNS.length)] as string;
      const roll = next();
      if (roll < 0.2) changes.set(id, null);
      else if (roll < 0.5) changes.set(id, lead(campaign, { opportunity: next() < 0.5 }));
      else if (roll < 0.7) changes.set(id, lead(campaign, { status: 'lost', opportunity: true }));
      // Shares of up to 1/7 and cents that do not add up nicely as floats.
      else changes.set(id, lead(campaign, won(randomShares(next))));
    }
    return changes;
  }

  it('keeps totals and membership equal to the sum of the stored figures, exactly', async () => {
    const connections = Array.from({ length: 5 }, () => store.connect());
    const keys = store.freshKeys().projection(1);
    const writers = connections.map((connection) => projection(connection, keys));
    const reader = projection(store.connect(), keys);
    const next = random(20260101);
    const calls = Array.from({ length: 400 }, () => randomChanges(next));

    // All writers at once, each firing its share of the calls four at a time; after each batch it
    // takes a consistent snapshot (one MULTI) of the stored figures and the totals while
    // the other writers are still running: the invariant must hold at every instant, not only at
    // the end.
    const watch = store.connect();
    const buckets = [...byBucket(keys.leads, IDS)];
    const snapshot = async (): Promise<[string[], Record<string, string>]> => {
      const multi = watch.multi().hgetall(keys.totals);
      for (const [key, ids] of buckets) multi.hmget(key, ...ids);
      const [first, ...stored] = (await multi.exec()) as [null, unknown][];
      const totals = first?.[1];
      return [
        stored.flatMap(([, values]) => (values as (string | null)[]).filter((v) => v !== null)),
        totals as Record<string, string>,
      ];
    };
    const snapshots: [string[], Record<string, string>][] = [];
    await Promise.all(
      writers.map(async (writer, offset) => {
        const mine = calls.filter((_, index) => index % writers.length === offset);
        for (let start = 0; start < mine.length; start += 4) {
          await Promise.all(mine.slice(start, start + 4).map((changes) => writer.applyLeads(changes)));
          snapshots.push(await snapshot());
        }
      }),
    );

    const names = nameTable(new Map(Object.entries(await redis.hgetall(keys.names))));
    for (const [leads, totals] of snapshots) {
      const decoded = leads.map((raw) => decodeLeadFigures(raw, names));
      expect(hashRows(totals, names)).toEqual(sumOf(decoded));
    }

    const stored = await reader.leads(IDS);
    expect(hashRows(await redis.hgetall(keys.totals), names)).toEqual(sumOf(stored.values()));
    for (const campaign of CAMPAIGNS) {
      const members = [...stored].flatMap(([id, f]) => (f.campaign === campaign ? [id] : []));
      expect((await reader.leadIdsOf(campaign)).sort()).toEqual(members.sort());
    }
    // The storm left some leads, so the final check compared something.
    expect(stored.size).toBeGreaterThan(0);

    // Removing everything, again concurrently and with overlaps, leaves nothing behind.
    await Promise.all(
      IDS.map((id, index) =>
        writers[index % writers.length]?.applyLeads(
          new Map([
            [id, null],
            [IDS[(index + 1) % IDS.length] as string, null],
          ]),
        ),
      ),
    );
    expect(await reader.totals()).toEqual([]);
    for (const campaign of CAMPAIGNS) expect(await reader.leadIdsOf(campaign)).toEqual([]);
  });
});

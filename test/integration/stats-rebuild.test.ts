import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupByCampaign } from '../../src/core/cohort.ts';
import { portalStats } from '../../src/core/portal-stats.ts';
import { campaignStats } from '../../src/store/campaign-stats.ts';
import { projection } from '../../src/store/projection.ts';
import { rebuildStats } from '../../src/store/stats-rebuild.ts';
import { H, NOW } from '../support/lag-leads.ts';
import { leadFiguresArbitrary } from '../support/lead-figures-arbitrary.ts';
import { storeFixture } from '../support/store-fixtures.ts';

const store = storeFixture(import.meta.filename);
const redis = store.connect();

describe('rebuildStats', () => {
  it('computes from the stored leads exactly what portalStats computes from the leads, and saves it', async () => {
    const leads = fc.sample(leadFiguresArbitrary, { numRuns: 5000, seed: 2026 });
    const view = projection(redis, store.freshKeys().projection(1));
    await view.applyLeads(new Map(leads.map((lead, index) => [String(1_000_001 + index), lead])));

    const rebuilt = await rebuildStats(redis, view, NOW, H, 'v1');

    // In the scan's campaign order: the prior sums over campaigns, and sums of doubles depend on order.
    const groups = groupByCampaign(leads);
    const inScanOrder = new Map([...rebuilt.stats.campaigns.keys()].map((c) => [c, groups.get(c) ?? []]));
    const expected = portalStats(inScanOrder, NOW, H, 'v1');
    expect(rebuilt.leads).toBe(leads.length);
    expect(rebuilt.campaigns).toBe(groups.size);
    expect(rebuilt.stats.meta).toEqual(expected.meta);
    expect(new Map(rebuilt.stats.campaigns)).toEqual(new Map(expected.campaigns));
    expect(new Map(rebuilt.stats.curves)).toEqual(new Map(expected.curves));
    const saved = campaignStats(redis, view.keys);
    expect(await saved.meta()).toEqual(expected.meta);
    expect(await saved.lag()).toEqual(new Map(expected.campaigns));
  });

  it('saves empty statistics for a projection without leads', async () => {
    const view = projection(redis, store.freshKeys().projection(1));
    const rebuilt = await rebuildStats(redis, view, NOW, H, 'v0');
    expect(rebuilt).toMatchObject({ leads: 0, campaigns: 0 });
    expect((await campaignStats(redis, view.keys).meta())?.version).toBe('v0');
  });
});

import { describe, expect, it } from 'vitest';
import { type PortalStats, portalStats } from '../../src/core/portal-stats.ts';
import { campaignStats } from '../../src/store/campaign-stats.ts';
import { H, lead, NOW } from '../support/lag-leads.ts';
import { storeFixture } from '../support/store-fixtures.ts';

const store = storeFixture(import.meta.filename);

function stats(version: string, wonAfter: number): PortalStats {
  const leads = [lead(400, 'won', wonAfter, 3), lead(300), lead(200, 'lost', 40, 5), lead(20)];
  return portalStats(new Map([['Webinar', leads]]), NOW, H, version);
}

describe('campaignStats.current', () => {
  it('reads the meta and lag saved together, and the new ones once a new version is saved', async () => {
    const keys = store.freshKeys().projection(1);
    const reader = campaignStats(store.connect(), keys);
    expect(await reader.current()).toEqual({ meta: undefined, lag: new Map() });

    const writer = campaignStats(store.connect(), keys);
    const first = stats('v1', 10);
    await writer.save(first);
    expect(await reader.current()).toEqual({ meta: first.meta, lag: new Map(first.campaigns) });
    expect(await reader.current()).toEqual({ meta: first.meta, lag: new Map(first.campaigns) });

    const second = stats('v2', 90);
    expect(second.campaigns).not.toEqual(first.campaigns);
    await writer.save(second);
    expect(await reader.current()).toEqual({ meta: second.meta, lag: new Map(second.campaigns) });
    expect(await reader.lag()).toEqual(new Map(second.campaigns));
  });
});

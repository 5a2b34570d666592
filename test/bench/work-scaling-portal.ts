import type { Redis } from 'ioredis';
import { runBackfill } from '../../src/commands/backfill-command.ts';
import { setup } from '../../src/commands/setup.ts';
import { loadConfig } from '../../src/config.ts';
import { demoHubSpotCampaigns } from '../../src/demo/demo-portal.ts';
import { connectHubSpot } from '../../src/hubspot/connect.ts';
import { createLogger } from '../../src/logger.ts';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { scaledDemoPortal } from './scaled-demo-portal.ts';

export interface SeededPortal {
  readonly portalId: number;
  readonly contacts: number;
  readonly deals: number;
  /** Contacts at the `lead` stage, the ones a burst moves back and forth. */
  readonly leadIds: readonly string[];
  /** Open deals, whose amount a burst can change without moving any revenue. */
  readonly openDealIds: readonly string[];
  readonly contactIds: readonly string[];
  readonly dealIds: readonly string[];
}

async function admin(sandbox: RunningSandbox, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path} → ${response.status} ${await response.text()}`);
}

/**
 * The demo's portal (about 5,000 contacts over 18 months in twelve campaigns, their deals), or
 * `copies` of it, closeloop's setup and one backfill. The sandbox answers at full speed and
 * without limits meanwhile: that part is preparation, not measurement.
 */
export async function seedAndBackfill(
  sandbox: RunningSandbox,
  redis: Redis,
  env: Record<string, string>,
  copies = 1,
): Promise<SeededPortal> {
  const now = sandbox.clock.now();
  const copiesSeeded = scaledDemoPortal(now, copies);
  for (const [index, copy] of copiesSeeded.entries())
    await admin(
      sandbox,
      '/__sandbox/seed',
      index === 0 ? { ...copy, campaigns: demoHubSpotCampaigns(now) } : copy,
    );
  const portal = {
    contacts: copiesSeeded.flatMap((copy) => copy.contacts),
    deals: copiesSeeded.flatMap((copy) => copy.deals),
  };
  const config = loadConfig({ ...env, HUBSPOT_REQUESTS_PER_10S: '10000' });
  const http = connectHubSpot(config, redis, () => sandbox.options.timeZone);
  const report = await setup(http, redis, config.redis.prefix);
  await runBackfill(config, redis, http, createLogger({ level: 'silent' }), () => undefined);
  return {
    portalId: report.portal.portalId,
    contacts: portal.contacts.length,
    deals: portal.deals.length,
    leadIds: portal.contacts
      .filter((contact) => contact.properties.lifecyclestage === 'lead')
      .map((contact) => contact.id),
    openDealIds: portal.deals
      .filter((deal) => !['closedwon', 'closedlost'].includes(deal.properties.dealstage ?? ''))
      .map((deal) => deal.id),
    contactIds: portal.contacts.map((contact) => contact.id),
    dealIds: portal.deals.map((deal) => deal.id),
  };
}

/** HubSpot as the benchmark measures against: every call `latencyMs` slower, the tier's 10-second limit. */
export async function throttle(
  sandbox: RunningSandbox,
  latencyMs: number,
  requestsPer10s: number,
): Promise<void> {
  // The sandbox adds latency only as its `slow` fault: injected on every call, it delays each by slowMs.
  await admin(sandbox, '/__sandbox/config', {
    requestsPer10s,
    faults: ['slow'],
    failRate: 1,
    slowMs: latencyMs,
  });
}

/** `count` ids spread evenly over `ids`, so a burst touches every campaign. */
export function spread(ids: readonly string[], count: number): string[] {
  if (count > ids.length) throw new Error(`only ${ids.length} leads to change, ${count} asked`);
  return Array.from({ length: count }, (_, index) => ids[Math.floor((index * ids.length) / count)] as string);
}

import type { WorkloadModel } from './workload-model.ts';

export const DAY_MS = 86_400_000;

/**
 * Every date the workload sets falls on a UTC midnight, leads 200–500 days ago. Ages and the
 * times between a lead and its deals are then whole days that only tick over at midnight, so the
 * figures and scores closeloop computes do not drift between a run and its clean rebuild minutes
 * later (the horizon is 180 days: every lead is mature, as the oracle requires).
 */
export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** A seeded generator (mulberry32): the same seed gives the same workload. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (low: number, high: number) => low + Math.floor(next() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}
export type Random = ReturnType<typeof seededRandom>;

/** Campaigns that behave differently: how often their leads get a deal and how often it is won. */
export const CAMPAIGNS = [
  { name: 'spring-webinar', deal: 0.5, win: 0.6 },
  { name: 'brand-search', deal: 0.3, win: 0.35 },
  { name: 'linkedin-abm', deal: 0.4, win: 0.45 },
  { name: 'newsletter', deal: 0.15, win: 0.2 },
  { name: 'partner-referral', deal: 0.6, win: 0.7 },
  { name: 'trade-show', deal: 0.25, win: 0.3 },
] as const;

/** A contact's tracking properties: mostly paid campaigns, some offline imports, some nothing. */
export function trackingProperties(random: Random): Record<string, string> {
  const roll = random.next();
  if (roll < 0.08) return { hs_analytics_source: 'OFFLINE', hs_analytics_source_data_1: 'IMPORT' };
  if (roll < 0.14) return { hs_analytics_source: 'DIRECT_TRAFFIC' };
  const campaign = random.pick(CAMPAIGNS).name;
  if (roll < 0.2)
    return { hs_analytics_source: 'OFFLINE', hs_analytics_first_touch_converting_campaign: campaign };
  return { hs_analytics_source: 'PAID_SEARCH', hs_analytics_source_data_1: campaign };
}

export const OPEN_STAGES = [
  'appointmentscheduled',
  'qualifiedtobuy',
  'presentationscheduled',
  'contractsent',
];
export const RENEWAL_OPEN = ['781236451', '781236452'];
export const LIFECYCLE = ['lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer'];

/** A new lead's properties: a unique email, its lead date and its campaign. */
export function leadProperties(model: WorkloadModel, random: Random): Record<string, string> {
  const leadDate = model.today - random.int(200, 500) * DAY_MS;
  const stage = random.chance(0.7) ? 'lead' : random.pick(LIFECYCLE.slice(1, 4));
  const entered =
    stage === 'lead' ? {} : { [`hs_v2_date_entered_${stage}`]: iso(leadDate + random.int(0, 60) * DAY_MS) };
  return {
    email: `chaos-${model.nextSerial()}@example.com`,
    createdate: iso(leadDate),
    lifecyclestage: stage,
    ...entered,
    ...trackingProperties(random),
  };
}

/** A deal for a lead: created after the lead date, closed (if at all) before today. */
export function dealProperties(model: WorkloadModel, random: Random, leadDate: number) {
  const renewal = random.chance(0.1);
  const createdAt = Math.min(leadDate + random.int(0, 150) * DAY_MS, model.today - 2 * DAY_MS);
  return {
    renewal,
    createdAt,
    properties: {
      dealname: `chaos deal ${model.nextSerial()}`,
      pipeline: renewal ? '781236450' : 'default',
      dealstage: random.pick(renewal ? RENEWAL_OPEN : OPEN_STAGES),
      amount: String(random.int(4, 80) * 250),
      createdate: iso(createdAt),
    },
  };
}

/** When a deal closes: after it was created, before today; some close long after the horizon. */
export function closeDate(model: WorkloadModel, random: Random, createdAt: number): number {
  const days = random.chance(0.8) ? random.int(1, 120) : random.int(121, 400);
  return Math.min(createdAt + days * DAY_MS, model.today - DAY_MS);
}

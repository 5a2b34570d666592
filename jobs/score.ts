import { BLANK_CONTACT, BLANK_DEAL, campaignSignature } from '../src/core/campaign-values.ts';
import { contactValues, dealValues } from '../src/core/lead-values.ts';
import type { RecordValues } from '../src/core/record-values.ts';
import { chunk } from '../src/hubspot/crm.ts';
import { outbox } from '../src/store/outbox.ts';
import { loadScoring, type Scoring } from '../src/store/scoring.ts';
import { workSets } from '../src/store/work-sets.ts';
import { type JobContext, type PortalScope, portalScope } from './context.ts';

const CHUNK = 1000;

export interface ScoreReport {
  readonly campaignsChanged: number;
  readonly recordsScored: number;
  readonly writesQueued: number;
  /** Records scored whose values HubSpot already shows: no write. */
  readonly unchanged: Readonly<Record<'contacts' | 'deals', number>>;
}

/** Campaigns whose campaign-wide values or statistics moved since their records were last scored. */
async function changedCampaigns(context: JobContext, scope: PortalScope, scoring: Scoring, version: string) {
  const previous = await context.redis.hgetall(scope.keys.scoredWith);
  const signatures = new Map(
    [...scoring.views].map(([campaign, view]) => [
      campaign,
      campaignSignature(view, scoring.portal, version),
    ]),
  );
  const changed = [...signatures].filter(([campaign, signature]) => previous[campaign] !== signature);
  const vanished = Object.keys(previous).filter((campaign) => !signatures.has(campaign));
  return {
    changed: changed.map(([campaign]) => campaign),
    save: async () => {
      const pipeline = context.redis.pipeline();
      if (changed.length > 0) pipeline.hset(scope.keys.scoredWith, Object.fromEntries(changed));
      if (vanished.length > 0) pipeline.hdel(scope.keys.scoredWith, ...vanished);
      await pipeline.exec();
    },
  };
}

async function contactValuesOf(
  scope: PortalScope,
  scoring: Scoring,
  ids: readonly string[],
): Promise<Map<string, RecordValues>> {
  const leads = await scope.projection.leads(ids);
  const values = new Map<string, RecordValues>();
  for (const id of ids) {
    const lead = leads.get(id);
    const view = lead && scoring.views.get(lead.campaign);
    values.set(
      id,
      lead && view
        ? contactValues(lead, view, scoring.portal, await scoring.inputs(lead.campaign))
        : BLANK_CONTACT,
    );
  }
  return values;
}

/**
 * Scores what changed: records whose own figures changed (marked by sync) and every record of a
 * campaign whose campaign-wide values or statistics moved. Compares with what HubSpot shows and
 * queues only real changes; then wakes the write-back.
 */
export async function score(jobId: string, context: JobContext): Promise<ScoreReport> {
  const scope = await portalScope(context);
  const sets = workSets(context.redis, scope.keys);
  const scoring = await loadScoring(
    context.redis,
    scope.keys,
    scope.projection,
    context.config.metrics.closeHorizonDays,
    context.now(),
  );
  const campaigns = await changedCampaigns(context, scope, scoring, scoring.meta?.version ?? 'naive');
  const marked = await sets.takeRescore('contacts', jobId);
  const contactIds = new Set(marked);
  const dealIds = new Set(await sets.takeRescore('deals', jobId));
  for (const campaign of campaigns.changed) {
    for (const id of await scope.projection.leadIdsOf(campaign)) contactIds.add(id);
    for (const id of await scope.projection.dealIdsOf(campaign)) dealIds.add(id);
  }

  const writes = outbox(context.redis, scope.keys);
  const queued = { contacts: 0, deals: 0 };
  for (const ids of chunk([...contactIds], CHUNK)) {
    queued.contacts += (
      await writes.stage('contacts', await contactValuesOf(scope, scoring, ids), context.now())
    ).queued;
  }
  for (const ids of chunk([...dealIds], CHUNK)) {
    const dealCampaigns = await scope.projection.dealCampaigns(ids);
    const values = new Map<string, RecordValues>(
      ids.map((id) => {
        const view = scoring.views.get(dealCampaigns.get(id) ?? '');
        return [id, view ? dealValues(view) : BLANK_DEAL];
      }),
    );
    queued.deals += (await writes.stage('deals', values, context.now())).queued;
  }

  await campaigns.save();
  await sets.finishRescore(jobId);
  const waiting = (await writes.size('contacts')) + (await writes.size('deals'));
  const writesQueued = queued.contacts + queued.deals;
  if (writesQueued > 0 || waiting > 0) await context.schedule('writeback', scope.portal.portalId);
  return {
    campaignsChanged: campaigns.changed.length,
    recordsScored: contactIds.size + dealIds.size,
    writesQueued,
    unchanged: { contacts: contactIds.size - queued.contacts, deals: dealIds.size - queued.deals },
  };
}

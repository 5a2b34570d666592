import { type CampaignFigures, campaignFigures } from '../src/core/campaign-figures.ts';
import {
  BLANK_CONTACT,
  BLANK_DEAL,
  campaignSignature,
  leadValues,
  overallCloseRate,
} from '../src/core/campaign-values.ts';
import { dealValues, type RecordValues } from '../src/core/record-values.ts';
import { chunk } from '../src/hubspot/crm.ts';
import { outbox } from '../src/store/outbox.ts';
import { workSets } from '../src/store/work-sets.ts';
import { type JobContext, type PortalScope, portalScope } from './context.ts';

const CHUNK = 1000;

export interface ScoreReport {
  readonly campaignsChanged: number;
  readonly recordsScored: number;
  readonly writesQueued: number;
}

/** Campaigns whose campaign-wide values moved since their records were last scored. */
async function changedCampaigns(
  context: JobContext,
  scope: PortalScope,
  figures: readonly CampaignFigures[],
  overall: number,
) {
  const previous = await context.redis.hgetall(scope.keys.scoredWith);
  const signatures = new Map(
    figures.map((campaign) => [campaign.campaign, campaignSignature(campaign, overall)]),
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

/**
 * Scores what changed: records whose own figures changed (marked by sync) and every record of a
 * campaign whose campaign-wide values moved. Compares with what HubSpot shows and queues only
 * real changes; then wakes the write-back.
 */
export async function score(jobId: string, context: JobContext): Promise<ScoreReport> {
  const scope = await portalScope(context);
  const sets = workSets(context.redis, scope.keys);
  const figures = campaignFigures(await scope.projection.totals());
  const overall = overallCloseRate(figures);
  const byCampaign = new Map(figures.map((campaign) => [campaign.campaign, campaign]));
  const campaigns = await changedCampaigns(context, scope, figures, overall);

  const contactIds = new Set(await sets.takeRescore('contacts', jobId));
  const dealIds = new Set(await sets.takeRescore('deals', jobId));
  for (const campaign of campaigns.changed) {
    for (const id of await scope.projection.leadIdsOf(campaign)) contactIds.add(id);
    for (const id of await scope.projection.dealIdsOf(campaign)) dealIds.add(id);
  }

  const writes = outbox(context.redis, scope.keys);
  let queued = 0;
  for (const ids of chunk([...contactIds], CHUNK)) {
    const leads = await scope.projection.leads(ids);
    const values = new Map<string, RecordValues>(
      ids.map((id) => {
        const lead = leads.get(id);
        const campaign = lead && byCampaign.get(lead.campaign);
        return [id, lead && campaign ? leadValues(lead.status, campaign, overall) : BLANK_CONTACT];
      }),
    );
    queued += (await writes.stage('contacts', values, context.now())).queued;
  }
  for (const ids of chunk([...dealIds], CHUNK)) {
    const dealCampaigns = await scope.projection.dealCampaigns(ids);
    const values = new Map<string, RecordValues>(
      ids.map((id) => {
        const campaign = byCampaign.get(dealCampaigns.get(id) ?? '');
        return [id, campaign ? dealValues(campaign) : BLANK_DEAL];
      }),
    );
    queued += (await writes.stage('deals', values, context.now())).queued;
  }

  await campaigns.save();
  await sets.finishRescore(jobId);
  if (queued > 0 || (await writes.size('contacts')) + (await writes.size('deals')) > 0) {
    await context.schedule('writeback', scope.portal.portalId);
  }
  return {
    campaignsChanged: campaigns.changed.length,
    recordsScored: contactIds.size + dealIds.size,
    writesQueued: queued,
  };
}

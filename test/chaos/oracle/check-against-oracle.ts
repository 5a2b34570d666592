import { z } from 'zod';
import { compareCampaigns } from './compare-campaigns.ts';
import { compareRecords } from './compare-records.ts';
import { getParsed } from './http-json.ts';
import { computeExpectations } from './oracle-expectations.ts';
import { type OracleInput, type OracleReport, oracleInputSchema } from './oracle-types.ts';
import { readPortalSnapshot } from './portal-snapshot.ts';

const campaignRowsSchema = z.array(z.looseObject({ campaign: z.string() }));

/** closeloop's campaign table, as its API serves it. */
export async function readCloseloopCampaigns(
  closeloopUrl: string,
  dashboardToken?: string,
): Promise<Record<string, unknown>[]> {
  const url = `${closeloopUrl.replace(/\/$/, '')}/api/campaigns`;
  return getParsed(campaignRowsSchema, { url, token: dashboardToken });
}

/**
 * Computes, from the portal's final state alone and in SQL that shares nothing with closeloop, what
 * closeloop should show, and compares it exactly with its API and with what it wrote into HubSpot.
 */
export async function checkAgainstOracle(input: OracleInput): Promise<OracleReport> {
  const { sandboxUrl, accessToken, closeloopUrl, dashboardToken, settings, databaseUrl } =
    oracleInputSchema.parse(input);
  const snapshot = await readPortalSnapshot(
    { url: sandboxUrl.replace(/\/$/, ''), token: accessToken },
    settings,
  );
  const expected = await computeExpectations(snapshot, settings, databaseUrl);
  const rows = await readCloseloopCampaigns(closeloopUrl, dashboardToken);
  const comparisons = [
    compareCampaigns(expected.campaigns, rows),
    compareRecords('contact', snapshot.contacts, expected.contacts),
    compareRecords('deal', snapshot.deals, expected.deals),
  ];
  return {
    mismatches: comparisons.flatMap((comparison) => comparison.mismatches),
    checked: {
      campaigns: expected.campaigns.size,
      contacts: snapshot.contacts.length,
      deals: snapshot.deals.length,
      fields: comparisons.reduce((sum, comparison) => sum + comparison.fields, 0),
      lagAwareNotChecked: [...expected.campaigns]
        .filter(([, campaign]) => !campaign.lagChecked)
        .map(([campaign]) => campaign)
        .sort(),
    },
  };
}

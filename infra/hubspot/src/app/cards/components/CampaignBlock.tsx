import { Alert, Flex, Statistics, StatisticsItem, Text } from '@hubspot/ui-extensions';

import type { CampaignFigures } from '../lib/api';
import { alignment, days, leadCount, maturitySentence, percent, percentRange } from '../lib/format';

function campaignName(campaign: CampaignFigures): string {
  const name = campaign.name ?? campaign.key;
  if (name === null) return 'Unnamed campaign';
  return name === '(none)' ? 'No campaign' : name;
}

function CloseRate({ campaign, within }: { campaign: CampaignFigures; within: string }) {
  const horizon = campaign.closeRateAtHorizon;
  const rate = percent(horizon?.rate ?? null);
  if (horizon === null || rate === null) {
    const soFar = percent(campaign.leadToClose?.rate ?? null);
    return (
      <Alert testId="too-new" variant="info" title="Too new to judge">
        Its leads haven't had time to close, so closeloop can't give a fair close rate {within} yet.
        {soFar !== null && ` So far ${soFar} of them have closed.`}
      </Alert>
    );
  }
  const interval = percentRange(horizon.low, horizon.high);
  return (
    <Statistics>
      <StatisticsItem testId="close-rate" label={`Leads who close ${within}`} number={rate}>
        {interval !== null && (
          <Text testId="close-rate-interval" variant="microcopy">
            95{'\u00a0'}% interval: {interval}
          </Text>
        )}
      </StatisticsItem>
    </Statistics>
  );
}

/** The campaign the record belongs to, and how its leads turn into closed deals. */
export function CampaignBlock({ campaign }: { campaign: CampaignFigures }) {
  const horizonDays = campaign.closeRateAtHorizon?.days ?? null;
  const within = horizonDays === null ? 'within the horizon' : `within ${days(horizonDays)}`;
  const cohort = leadCount(campaign.leads);
  const maturity = maturitySentence(campaign.closeRateAtHorizon?.maturity ?? null);
  const aligned = alignment(campaign.alignmentIndex);
  return (
    <Flex direction="column" gap="xs">
      <Text variant="microcopy">Campaign</Text>
      <Text testId="campaign-name" format={{ fontWeight: 'bold' }}>
        {campaignName(campaign)}
      </Text>
      <CloseRate campaign={campaign} within={within} />
      {cohort !== null && (
        <Text testId="cohort" variant="microcopy">
          Cohort: {cohort}
        </Text>
      )}
      {maturity !== null && (
        <Text testId="maturity" variant="microcopy">
          {maturity}
        </Text>
      )}
      <Text testId="alignment" variant="microcopy">
        Alignment index {aligned.value}: {aligned.sentence}
      </Text>
    </Flex>
  );
}

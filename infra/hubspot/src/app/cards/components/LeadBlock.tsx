import { Flex, Statistics, StatisticsItem, Tag, Text } from '@hubspot/ui-extensions';

import type { LeadFigures } from '../lib/api';
import { gradeVariant, leadStatusLabel, score } from '../lib/format';

/** The contact's own figures: score, grade and the one-sentence reason. */
export function LeadBlock({ lead }: { lead: LeadFigures | null }) {
  if (lead === null) {
    return (
      <Text testId="not-a-lead" variant="microcopy">
        This contact isn't scored as a lead.
      </Text>
    );
  }
  const status = leadStatusLabel(lead.status);
  return (
    <Flex direction="column" gap="xs">
      <Statistics>
        <StatisticsItem testId="lead-score" label="Lead score (0–100)" number={score(lead.score) ?? '—'} />
      </Statistics>
      {(lead.grade !== null || status !== null) && (
        <Flex direction="row" gap="xs" wrap>
          {lead.grade !== null && (
            <Tag testId="lead-grade" variant={gradeVariant(lead.grade)}>
              Grade {lead.grade}
            </Tag>
          )}
          {status !== null && (
            <Tag testId="lead-status" variant={status === 'Won' ? 'success' : 'default'}>
              {status}
            </Tag>
          )}
        </Flex>
      )}
      {lead.reason !== null && <Text testId="lead-reason">{lead.reason}</Text>}
    </Flex>
  );
}

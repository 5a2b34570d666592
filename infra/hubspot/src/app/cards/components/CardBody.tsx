import { Divider, Flex, Text } from '@hubspot/ui-extensions';

import type { CardData, CardObjectType, CardResult } from '../lib/api';
import { CampaignBlock } from './CampaignBlock';
import { LeadBlock } from './LeadBlock';
import { ErrorView, NoFiguresView } from './StatusViews';

function FiguresView({ data, objectType }: { data: CardData; objectType: CardObjectType }) {
  const isContact = objectType === 'contacts';
  if (data.campaign === null && !(isContact && data.lead !== null)) {
    return <NoFiguresView objectType={objectType} />;
  }
  return (
    <Flex direction="column" gap="sm">
      {isContact && <LeadBlock lead={data.lead} />}
      {isContact && <Divider />}
      {data.campaign !== null ? (
        <CampaignBlock campaign={data.campaign} />
      ) : (
        <Text testId="no-campaign" variant="microcopy">
          closeloop has no campaign figures for this contact yet.
        </Text>
      )}
    </Flex>
  );
}

/** What closeloop answered, as the rep sees it. */
export function CardBody({
  result,
  objectType,
  onRetry,
}: {
  result: CardResult;
  objectType: CardObjectType;
  onRetry: () => void;
}) {
  switch (result.kind) {
    case 'figures':
      return <FiguresView data={result.data} objectType={objectType} />;
    case 'none':
      return <NoFiguresView objectType={objectType} />;
    default:
      return <ErrorView failure={result} onRetry={onRetry} />;
  }
}

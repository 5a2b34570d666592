import { hubspot, useExtensionContext } from '@hubspot/ui-extensions';

import { CardBody } from './components/CardBody';
import { LoadingView, NotConfiguredView, UnsupportedObjectView } from './components/StatusViews';
import { cardObjectType, cardUrl } from './lib/api';
import { resolveBaseUrl } from './lib/config';
import { useCardData } from './lib/useCardData';

// Entry point named in closeloop-card-hsmeta.json.
hubspot.extend<'crm.record.sidebar'>(() => <CloseloopCard />);

/** The rep's card on a contact or deal record: closeloop's figures for that record. */
export function CloseloopCard() {
  const context = useExtensionContext<'crm.record.sidebar'>();
  const objectType = cardObjectType(context.crm.objectTypeId);
  const base = resolveBaseUrl(context.variables);
  const url = objectType !== null && base.ok ? cardUrl(base.baseUrl, objectType, context.crm.objectId) : null;
  const { state, reload } = useCardData(url);

  if (objectType === null) return <UnsupportedObjectView />;
  if (!base.ok) return <NotConfiguredView problem={base.problem} />;
  if (state.phase === 'loading') return <LoadingView />;
  return <CardBody result={state.result} objectType={objectType} onRetry={reload} />;
}

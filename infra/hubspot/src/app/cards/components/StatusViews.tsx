import { Button, EmptyState, ErrorState, LoadingSpinner, Text } from '@hubspot/ui-extensions';

import type { CardObjectType, CardResult } from '../lib/api';
import { BASE_URL_VARIABLE } from '../lib/config';

const noun = (objectType: CardObjectType): string => (objectType === 'contacts' ? 'contact' : 'deal');

export function LoadingView() {
  return <LoadingSpinner testId="loading" label="Loading closeloop figures…" showLabel layout="centered" />;
}

export function NotConfiguredView({ problem }: { problem: string }) {
  return (
    <ErrorState testId="not-configured" type="support" title="closeloop isn't set up yet">
      <Text testId="not-configured-problem">{problem}</Text>
      <Text variant="microcopy">
        An admin sets {BASE_URL_VARIABLE} in the HubSpot project's config profile and uploads the project
        again.
      </Text>
    </ErrorState>
  );
}

export function UnsupportedObjectView() {
  return (
    <Text testId="unsupported-object" variant="microcopy">
      closeloop's card works on contact and deal records only.
    </Text>
  );
}

export function NoFiguresView({ objectType }: { objectType: CardObjectType }) {
  return (
    <EmptyState testId="no-figures" title="No closeloop figures yet" layout="vertical" imageWidth={120} flush>
      <Text testId="no-figures-text">closeloop has no figures for this {noun(objectType)} yet.</Text>
      <Text variant="microcopy">They appear once closeloop has linked it to a campaign.</Text>
    </EmptyState>
  );
}

type Failure = Extract<CardResult, { kind: 'unreachable' | 'status' | 'unreadable' }>;

function failureText(failure: Failure): { title: string; detail: string } {
  switch (failure.kind) {
    case 'unreachable':
      return {
        title: "closeloop can't be reached",
        detail: 'HubSpot got no answer from the closeloop server. Try again in a moment.',
      };
    case 'status':
      return {
        title: 'closeloop answered with an error',
        detail:
          failure.status === 401 || failure.status === 403
            ? `It refused the request (HTTP ${failure.status}): the app's client secret on the closeloop server may be wrong.`
            : `It answered HTTP ${failure.status}. Try again in a moment.`,
      };
    case 'unreadable':
      return {
        title: "closeloop's answer can't be read",
        detail: 'The server and this card may be different versions.',
      };
  }
}

export function ErrorView({ failure, onRetry }: { failure: Failure; onRetry: () => void }) {
  const { title, detail } = failureText(failure);
  return (
    <ErrorState testId="error" title={title}>
      <Text testId="error-detail">{detail}</Text>
      <Text variant="microcopy">If it keeps happening, ask your HubSpot admin to check closeloop.</Text>
      <Button testId="retry" size="sm" variant="secondary" onClick={onRetry}>
        Try again
      </Button>
    </ErrorState>
  );
}

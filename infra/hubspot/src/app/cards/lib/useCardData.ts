import { useCallback, useEffect, useState } from 'react';

import { type CardResult, fetchCard } from './api';

export type CardState = { phase: 'loading' } | { phase: 'done'; result: CardResult };

/** Fetches the card's figures from `url` (null: fetch nothing), with a reload for the retry button. */
export function useCardData(url: string | null): { state: CardState; reload: () => void } {
  const [state, setState] = useState<CardState>({ phase: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is how a retry re-runs the fetch.
  useEffect(() => {
    if (url === null) return;
    let current = true;
    setState({ phase: 'loading' });
    fetchCard(url).then((result) => {
      if (current) setState({ phase: 'done', result });
    });
    return () => {
      current = false;
    };
  }, [url, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, reload };
}

import { describe } from 'vitest';
import { chaosScenario } from '../scenario/chaos-scenario.ts';
import { duplicatesShuffleReplay } from './replay.ts';

// With deduplication off every duplicate and every replayed event reaches the workers: nothing
// changing proves the jobs idempotent, not merely the receiver's memory of what it saw.
describe('the same with deduplication switched off', () => {
  chaosScenario({
    name: 'duplicates, shuffle, full replay (dedupe off)',
    order: 2,
    seed: 202,
    env: { WEBHOOK_DEDUPE_WINDOW_SECONDS: '0', ATTRIBUTION: 'last' },
    body: duplicatesShuffleReplay,
  });
});

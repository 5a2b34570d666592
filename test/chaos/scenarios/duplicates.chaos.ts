import { describe } from 'vitest';
import { chaosScenario } from '../scenario/chaos-scenario.ts';
import { duplicatesShuffleReplay } from './replay.ts';

describe('webhook deliveries duplicated, shuffled and replayed in full', () => {
  chaosScenario({
    name: 'duplicates, shuffle, full replay (dedupe on)',
    order: 1,
    seed: 101,
    body: duplicatesShuffleReplay,
  });
});

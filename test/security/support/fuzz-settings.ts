import fc from 'fast-check';

/**
 * One fixed seed, so a CI run repeats exactly what the last one tried; `FUZZ_SEED=<n>` explores
 * others, and a failure prints the seed and path that replay it.
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED || 20_260_718);

/** Every property of the file runs from the same seed; each test file calls this once. */
export function configureFuzzing(): void {
  fc.configureGlobal({ seed: FUZZ_SEED });
}

/** A property's runs have this long: far above what they take, so a slow machine is no failure. */
export const FUZZ_TIMEOUT_MS = 60_000;

export type SandboxClock = {
  now(): number;
  set(ms: number): void;
  advance(ms: number): void;
};

/**
 * The sandbox's notion of "now": real time shifted by an offset, so tests can jump to any date
 * (history seeding, daily-limit resets) while time keeps flowing; frozen when asked.
 */
export function createSandboxClock(start: number | undefined, frozen: boolean): SandboxClock {
  let offset = start === undefined ? 0 : start - Date.now();
  let frozenAt = start ?? Date.now();
  return {
    now: () => (frozen ? frozenAt : Date.now() + offset),
    set(ms) {
      offset = ms - Date.now();
      frozenAt = ms;
    },
    advance(ms) {
      offset += ms;
      frozenAt += ms;
    },
  };
}

import { WriteStats } from './write-stats.ts';

/** One call as the sandbox saw it: `at` is when it arrived, on the sandbox's clock (the rate limiter's). */
export type CallRecord = { at: number; call: string; status: number };

/** The per-call log keeps the latest calls only, so a long-running demo sandbox stays bounded. */
const LOG_LIMIT = 100_000;

/**
 * Calls per "METHOD /path/template", per status: what `GET /__sandbox/stats` reports; and each
 * call's arrival time, what `GET /__sandbox/calls` reports, to check clients' pacing against the limits.
 */
export class CallStats {
  #calls = new Map<string, Map<number, number>>();
  #log: CallRecord[] = [];
  /** What batch updates changed: inputs that changed nothing are a client's repeated writes. */
  readonly writes = new WriteStats();

  record(template: string, status: number, at = Date.now()): void {
    if (this.#log.length >= LOG_LIMIT) this.#log.splice(0, LOG_LIMIT / 10);
    this.#log.push({ at, call: template, status });
    let byStatus = this.#calls.get(template);
    if (!byStatus) {
      byStatus = new Map();
      this.#calls.set(template, byStatus);
    }
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  }

  toJSON(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [template, byStatus] of [...this.#calls].sort(([a], [b]) => a.localeCompare(b))) {
      out[template] = Object.fromEntries([...byStatus].map(([status, n]) => [String(status), n]));
    }
    return out;
  }

  /** The latest calls (up to 100,000), in the order they were answered. */
  log(): readonly CallRecord[] {
    return [...this.#log];
  }

  reset(): void {
    this.#calls = new Map();
    this.#log = [];
    this.writes.reset();
  }
}

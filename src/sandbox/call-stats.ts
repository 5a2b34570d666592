/** Calls per "METHOD /path/template", per status: what `GET /__sandbox/stats` reports. */
export class CallStats {
  #calls = new Map<string, Map<number, number>>();

  record(template: string, status: number): void {
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

  reset(): void {
    this.#calls = new Map();
  }
}

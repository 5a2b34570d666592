import { readFileSync } from 'node:fs';
import { percentile } from '../harness/timing.ts';
import type { Delivery } from '../harness/webhook-proxy.ts';
import type { SoakMinute } from './soak-result.ts';

const MiB = 2 ** 20;

export interface MemorySample {
  readonly at: number;
  readonly redis: number;
  readonly serveRss: number;
  readonly workRss: number;
}

/** A process's resident set size in bytes (VmRSS in /proc/<pid>/status); NaN once it is gone. */
export function rssOf(pid: number): number {
  try {
    const kib = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)?.[1];
    return kib === undefined ? Number.NaN : Number(kib) * 1024;
  } catch {
    return Number.NaN;
  }
}

/** Samples memory every `everyMs` until stopped. */
export function sampleMemory(
  read: () => Promise<Omit<MemorySample, 'at'>>,
  now: () => number,
  everyMs: number,
) {
  const samples: MemorySample[] = [];
  let pending: Promise<void> = Promise.resolve();
  const take = () => {
    pending = read().then((values) => {
      samples.push({ at: now(), ...values });
    });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    async stop() {
      clearInterval(timer);
      await pending;
    },
  };
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;

/** Per minute from `start`: mean memory, deliveries acknowledged, their events and p99 latency. */
export function perMinute(
  start: number,
  minutes: number,
  samples: readonly MemorySample[],
  deliveries: readonly Delivery[],
): SoakMinute[] {
  return Array.from({ length: minutes }, (_, index) => {
    const from = start + index * 60_000;
    const inside = (at: number) => at >= from && at < from + 60_000;
    const memory = samples.filter((sample) => inside(sample.at));
    const acked = deliveries.filter((d) => inside(d.answeredAt) && d.status >= 200 && d.status < 300);
    const latencies = acked.map((d) => d.answeredAt - d.receivedAt);
    return {
      minute: index + 1,
      redisMiB: mean(memory.map((sample) => sample.redis)) / MiB,
      serveRssMiB: mean(memory.map((sample) => sample.serveRss)) / MiB,
      workRssMiB: mean(memory.map((sample) => sample.workRss)) / MiB,
      deliveries: acked.length,
      events: acked.reduce((sum, d) => sum + d.events, 0),
      p99AckMs: latencies.length === 0 ? null : percentile(latencies, 99),
    };
  });
}

/** The last third's mean over the first third's, of one figure per minute. */
export function thirdsGrowth(minutes: readonly SoakMinute[], figure: (minute: SoakMinute) => number): number {
  const third = Math.max(1, Math.floor(minutes.length / 3));
  return mean(minutes.slice(-third).map(figure)) / mean(minutes.slice(0, third).map(figure));
}

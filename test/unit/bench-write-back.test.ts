import { describe, expect, it } from 'vitest';
import { budgetUse, inFlight } from '../bench/budget-use.ts';
import { kindOf } from '../bench/call-counts.ts';
import type { ProcessingRun } from '../bench/processing-runs.ts';
import { readsPer1000, summarizeProcessing } from '../bench/processing-section.ts';
import { changedRecords } from '../bench/shown-values.ts';
import type { WriteBackRun } from '../bench/write-back-run.ts';
import { summarizeWriteBack, writeBackBars } from '../bench/write-back-section.ts';

const READ = 'POST /crm/v3/objects/contacts/batch/read';
const UPDATE = 'POST /crm/v3/objects/contacts/batch/update';

describe('budget use under a backlog', () => {
  it('averages the whole 10 s windows from the first call and leaves the tail out', () => {
    // 150 calls in the first 10 s, 140 in the next, 20 in a last partial window.
    const times = [
      ...Array.from({ length: 150 }, (_, i) => i * 60),
      ...Array.from({ length: 140 }, (_, i) => 10_000 + i * 60),
      ...Array.from({ length: 20 }, (_, i) => 20_000 + i * 100),
    ];
    const use = budgetUse(times, 152);
    expect(use.fullWindows).toEqual([150, 140]);
    expect(use.use).toBeCloseTo(145 / 152);
    expect(use.busiestUse).toBeCloseTo(150 / 152);
  });

  it('says nothing about a backlog shorter than one window', () => {
    expect(budgetUse([0, 100, 9000], 152).use).toBeUndefined();
    expect(budgetUse([], 152)).toEqual({ fullWindows: [], use: undefined, busiestUse: 0 });
  });

  it('counts calls in flight as calls × latency over the span', () => {
    expect(inFlight([0, 0, 150, 150], 150)).toBeCloseTo(2);
  });
});

describe('call kinds', () => {
  it('tells reads from writes by template', () => {
    expect(kindOf(READ)).toBe('read');
    expect(kindOf('POST /crm/v4/associations/contacts/deals/batch/read')).toBe('read');
    expect(kindOf('GET /crm/v3/objects/contacts')).toBe('read');
    expect(kindOf(UPDATE)).toBe('write');
    expect(kindOf('PATCH /crm/v3/objects/contacts/{objectId}')).toBe('write');
    expect(kindOf('POST /crm/v3/properties/contacts/batch/create')).toBe('other');
  });
});

describe('records changed', () => {
  it('counts the records whose visible values differ, and records seen only after', () => {
    const before = new Map([
      ['contacts/1', { closeloop_lead_score: '10' }],
      ['contacts/2', { closeloop_lead_score: '20' }],
    ]);
    const after = new Map<string, Record<string, string>>([
      ['contacts/1', { closeloop_lead_score: '10' }],
      ['contacts/2', { closeloop_lead_score: '25' }],
      ['deals/9', { closeloop_campaign: 'webinar' }],
    ]);
    expect(changedRecords(before, after)).toEqual({ contacts: ['2'], deals: ['9'] });
  });
});

function run(writes: number, reads: number, changed: number, use: number | undefined): WriteBackRun {
  return {
    burst: {
      calls: { [READ]: reads, [UPDATE]: writes },
      rejected: 0,
      seconds: 20,
      inputs: writes * 100,
      unchanged: 0,
      use: { fullWindows: use === undefined ? [] : [use * 152], use, busiestUse: 1 },
      inFlight: 2.2,
    },
    changed: { contacts: changed, deals: 0 },
    replay: { calls: { [READ]: 12 }, rejected: 0, seconds: 2, records: 1000, inputs: 0, unchanged: 0 },
    rescore: { calls: {}, rejected: 0, seconds: 2, inputs: 0, unchanged: 0 },
    naive: { records: 600, calls: 618, rejected: 18, seconds: 45 },
  };
}

describe('write-back summary and bars', () => {
  const runs = [run(176, 150, 17_473, 0.95), run(180, 150, 17_473, 0.93), run(175, 150, 17_473, undefined)];

  it('takes medians of the runs and judges each bar', () => {
    const summary = summarizeWriteBack(runs);
    expect(summary.writeCalls).toBe(176);
    expect(summary.writesPer1000).toBeCloseTo(176 / 17.473);
    expect(summary.budgetUse).toBeCloseTo(0.94);
    expect(summary.naive.callsPer1000).toBeCloseTo(1030);
    expect(summary.naive.rejectedShare).toBeCloseTo(18 / 618);
    const bars = writeBackBars(summary, 152).join('\n');
    expect(bars).toMatch(/per 1,000 changed records: 10\.07 \(bar ≤ 10\.5: met\)/);
    expect(bars).toMatch(/at most 0 write calls per run .* sent no record at all \(bar 0: met\)/);
    expect(bars).toMatch(/94\.0 % of closeloop's 152 .* \(bar ≥ 90\.0 %: met\)/);
    expect(bars).toMatch(/Share of 429s: 0\.0 % \(bar ≤ 1\.0 %: met\)/);
  });

  it('says when a bar is missed', () => {
    const wasteful = run(250, 150, 17_473, 0.5);
    const runs = [
      { ...wasteful, replay: { ...wasteful.replay, calls: { [UPDATE]: 1 }, inputs: 40, unchanged: 40 } },
    ];
    const bars = writeBackBars(summarizeWriteBack(runs), 152).join('\n');
    expect(bars).toMatch(
      /at most 1 write call per run .* 40 records, 40 of them with values HubSpot already showed.* \(bar 0: \*\*missed\*\*\)/,
    );
    expect(bars).toMatch(/14\.31 \(bar ≤ 10\.5: \*\*missed\*\*\)/);
    expect(bars).toMatch(/50\.0 % of closeloop's 152 .*\*\*missed\*\*/);
  });
});

describe('processing summary', () => {
  it('reports events per second against the no-op ceiling and reads per 1,000 events', () => {
    const runs: ProcessingRun[] = [
      {
        system: 'closeloop' as const,
        seconds: 2,
        deliveredSeconds: 0.5,
        settledSeconds: 4,
        calls: { [READ]: 40, [UPDATE]: 60 },
        cpuSeconds: 1,
      },
      {
        system: 'bullmq-noop' as const,
        seconds: 0.25,
        deliveredSeconds: 0.25,
        settledSeconds: 0.25,
        calls: {},
        cpuSeconds: 0.1,
      },
    ];
    const [closeloop, noop] = summarizeProcessing(runs, 20_000);
    expect(closeloop?.eventsPerSecond).toBe(10_000);
    expect(noop?.eventsPerSecond).toBe(80_000);
    expect(closeloop && readsPer1000(closeloop, 20_000)).toBe(2);
  });
});

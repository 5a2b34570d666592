import { describe, expect, it } from 'vitest';
import { resultsFile, sectionsOf } from '../bench/results-file.ts';
import {
  callFigures,
  closeloopBudget,
  closeloopCalls,
  type ScalingRun,
  summarize,
} from '../bench/work-scaling-report.ts';
import { boundFindings, callsInFlight, type SectionInput } from '../bench/work-scaling-section.ts';

const UPDATE = 'POST /crm/v3/objects/contacts/batch/update';
const READ = 'POST /crm/v3/objects/contacts/batch/read';

function run(processes: number, seconds: number, calls = 60, busiest10s = 60): ScalingRun {
  return {
    processes,
    seconds,
    lastCallSeconds: seconds - 0.6,
    calls,
    busiest10s,
    rejected: 0,
    refusedDeliveries: 0,
    cpu: { work: seconds * 0.2, serve: seconds * 0.02, sandbox: seconds * 0.03 },
  };
}

describe('work-scaling call log', () => {
  const log = [
    { at: 900, call: READ, status: 200 },
    { at: 1000, call: UPDATE, status: 200 },
    { at: 1001, call: UPDATE, status: 200 },
    { at: 1400, call: READ, status: 200 },
    { at: 5000, call: UPDATE, status: 200 },
    { at: 12_000, call: READ, status: 429 },
    { at: 30_000, call: READ, status: 200 },
  ];
  const window = { from: 1000, driverUntil: 1200, to: 20_000, driverCall: UPDATE, driverCalls: 2 };

  it("keeps closeloop's calls of the run: the driver's updates and calls outside the run left out", () => {
    expect(closeloopCalls(log, window).map((call) => call.at)).toEqual([1400, 5000, 12_000]);
  });

  it('refuses a run whose driver calls cannot be told apart', () => {
    expect(() => closeloopCalls(log, { ...window, driverCalls: 3 })).toThrow(/expected 3 driver calls/);
  });

  it('counts calls, the busiest rolling 10 s, 429s and when the last call arrived', () => {
    expect(callFigures(closeloopCalls(log, window), 1000)).toEqual({
      calls: 3,
      busiest10s: 2,
      rejected: 1,
      lastCallSeconds: 11,
    });
  });

  it("takes closeloop's 80 % of a Professional app's 190 per 10 s", () => {
    expect(closeloopBudget(190)).toBe(152);
  });
});

describe('work-scaling summary', () => {
  const runs = [
    run(1, 12),
    run(2, 6),
    run(4, 4),
    run(1, 10),
    run(2, 7),
    run(4, 5),
    run(1, 11),
    run(2, 5),
    run(4, 3),
  ];

  it('reports medians, changes per second and the ratio to one process', () => {
    const [one, two, four] = summarize(runs, 2000);
    expect(one).toMatchObject({ processes: 1, medianSeconds: 11, speedup: 1, seconds: [12, 10, 11] });
    expect(one?.changesPerSecond).toBeCloseTo(2000 / 11);
    expect(two?.speedup).toBeCloseTo(11 / 6);
    expect(four?.speedup).toBeCloseTo(11 / 4);
    expect(four?.allCores).toBeCloseTo(0.25);
  });

  function input(summaryRuns: ScalingRun[]): SectionInput {
    return {
      summaries: summarize(summaryRuns, 2000),
      changes: 2000,
      repetitions: 1,
      latencyMs: 150,
      requestsPer10s: 190,
      contacts: 5000,
      deals: 600,
      machine: 'test machine',
      cores: 2,
      loadAverage: 0.5,
    };
  }

  it('names calls made one after another when about one is in flight and the budget is far from full', () => {
    const serial = input([run(1, 12, 80, 65), run(4, 12, 80, 65)]);
    expect(callsInFlight(serial.summaries[0]!, 150)).toBeCloseTo(1);
    const findings = boundFindings(serial).join('\n');
    expect(findings).toMatch(/Not the rate budget.*65 calls, 43 %/);
    expect(findings).toMatch(/Not the CPU/);
    expect(findings).toMatch(/one call after another/);
  });

  it('names the shared rate budget when the busiest 10 s is (nearly) all of it', () => {
    const findings = boundFindings(input([run(1, 30, 400, 150), run(4, 28, 400, 152)])).join('\n');
    expect(findings).toMatch(/The shared rate budget.*152 of closeloop's 152/);
    expect(findings).not.toMatch(/one call after another/);
  });
});

describe('RESULTS.md sections', () => {
  it('replaces one section and keeps the others as they were', () => {
    const file = resultsFile('# closeloop benchmarks\n\nMachine: m.', ['## A\n\none', '## B\n\ntwo\n']);
    const sections = sectionsOf(file);
    expect([...sections.keys()]).toEqual(['## A', '## B']);
    const rewritten = resultsFile('# closeloop benchmarks\n\nMachine: m.', [
      sections.get('## A') ?? '',
      '## B\n\nthree',
    ]);
    expect(rewritten).toBe('# closeloop benchmarks\n\nMachine: m.\n\n## A\n\none\n\n## B\n\nthree\n');
  });
});

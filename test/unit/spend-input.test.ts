import { describe, expect, it } from 'vitest';
import { parseSpendBody, parseSpendCsv } from '../../src/spend-input.ts';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe('parseSpendCsv', () => {
  it('reads day ranges and months, per campaign', () => {
    const spend = parseSpendCsv(
      'Campaign,From,To,Amount\nwebinar,2026-03-01,2026-03-31,3100\nads,2026-04-01,2026-04-30,600\nwebinar,2026-04-01,2026-04-01,10\n',
    );
    expect(spend.get('webinar')).toEqual([
      { from: day('2026-03-01'), to: day('2026-04-01'), amount: 3100 },
      { from: day('2026-04-01'), to: day('2026-04-02'), amount: 10 },
    ]);
    expect(parseSpendCsv('campaign,month,amount\nads,2026-02,280\n').get('ads')).toEqual([
      { from: day('2026-02-01'), to: day('2026-03-01'), amount: 280 },
    ]);
  });

  it.each([
    ['a negative amount', 'campaign,month,amount\nads,2026-02,-5\n', /line 2: amount must not be negative/],
    ['a word for an amount', 'campaign,month,amount\nads,2026-02,lots\n', /line 2: amount/],
    [
      'a bad date',
      'campaign,from,to,amount\nads,2026-02-30,2026-03-01,5\n',
      /line 2: from is not a real date/,
    ],
    [
      'reversed dates',
      'campaign,from,to,amount\nads,2026-03-05,2026-03-01,5\n',
      /line 2: to is before "from"/,
    ],
    ['an empty campaign', 'campaign,month,amount\n ,2026-02,5\n', /line 2: campaign is empty/],
    ['an unknown column', 'campaign,month,amount,notes\nads,2026-02,5,x\n', /line 2/],
    ['no rows', 'campaign,month,amount\n', /no spend rows/],
    ['ragged rows', 'campaign,month,amount\nads,2026-02\n', /Not a readable CSV/],
  ])('rejects %s, naming the line, and applies nothing', (_name, text, message) => {
    expect(() => parseSpendCsv(text)).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringMatching(message) }),
    );
  });

  it('lists every bad row, not just the first', () => {
    expect(() =>
      parseSpendCsv('campaign,month,amount\nads,2026-13,5\nok,2026-01,1\nweb,2026-01,-1\n'),
    ).toThrow(/line 2[\s\S]*line 4/);
  });
});

describe('parseSpendBody', () => {
  it('accepts entries and rejects a bad one with its index', () => {
    expect(parseSpendBody([{ month: '2026-01', amount: 31 }])).toEqual([
      { from: day('2026-01-01'), to: day('2026-02-01'), amount: 31 },
    ]);
    expect(() =>
      parseSpendBody([
        { month: '2026-01', amount: 31 },
        { from: '2026-01-01', amount: 3 },
      ]),
    ).toThrow(/Invalid spend: 1/);
    expect(() => parseSpendBody({ month: '2026-01' })).toThrow(/Invalid spend/);
  });
});

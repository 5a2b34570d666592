import { describe, expect, it } from 'vitest';

import {
  alignment,
  days,
  gradeVariant,
  leadCount,
  leadStatusLabel,
  maturitySentence,
  percent,
  percentRange,
  score,
} from '../lib/format';
import { nb } from './fixtures';

describe('percent', () => {
  it('rounds a fraction to a whole percent', () => {
    expect(percent(0.224)).toBe(nb('22 %'));
    expect(percent(0.225)).toBe(nb('23 %'));
    expect(percent(0)).toBe(nb('0 %'));
    expect(percent(1)).toBe(nb('100 %'));
  });

  it('never rounds a small chance to zero or a near-certain one to 100', () => {
    expect(percent(0.004)).toBe(nb('<1 %'));
    expect(percent(0.996)).toBe(nb('>99 %'));
  });

  it('passes an unknown rate on as null', () => {
    expect(percent(null)).toBeNull();
  });
});

describe('percentRange', () => {
  it('joins the interval ends with an en dash', () => {
    expect(percentRange(0.148, 0.311)).toBe(nb('15–31 %'));
  });

  it('collapses ends that round alike, and is null when an end is unknown', () => {
    expect(percentRange(0.151, 0.149)).toBe(nb('15 %'));
    expect(percentRange(null, 0.3)).toBeNull();
    expect(percentRange(0.1, null)).toBeNull();
  });
});

describe('counts', () => {
  it('writes days and leads in words, singular where it is one', () => {
    expect(days(180)).toBe(nb('180 days'));
    expect(days(1)).toBe(nb('1 day'));
    expect(leadCount(98)).toBe(nb('98 leads'));
    expect(leadCount(1)).toBe(nb('1 lead'));
    expect(leadCount(12345)).toBe(nb('12,345 leads'));
    expect(leadCount(null)).toBeNull();
  });
});

describe('score', () => {
  it('shows a whole number between 0 and 100', () => {
    expect(score(26.4)).toBe('26');
    expect(score(100.2)).toBe('100');
    expect(score(-1)).toBe('0');
    expect(score(null)).toBeNull();
  });
});

describe('maturitySentence', () => {
  it("says which share of the campaign's leads have had time to close", () => {
    expect(maturitySentence(0.843)).toBe(nb("84 % of this campaign's leads have had time to close."));
    expect(maturitySentence(1)).toBe("All of this campaign's leads have had time to close.");
    expect(maturitySentence(0)).toBe("None of this campaign's leads has had time to close yet.");
    expect(maturitySentence(null)).toBeNull();
  });
});

describe('alignment', () => {
  it('shows one decimal and what it means', () => {
    expect(alignment(4.86)).toEqual({
      value: '4.9',
      sentence: 'Brings 4.9× the revenue its share of leads suggests.',
    });
    expect(alignment(0.25).sentence).toBe('Brings 0.3× the revenue its share of leads suggests.');
    expect(alignment(1.02)).toEqual({
      value: '1.0',
      sentence: 'Pulls its weight: its share of revenue matches its share of leads.',
    });
    expect(alignment(0.01).value).toBe('0.0');
  });

  it('explains a null index as no won revenue', () => {
    expect(alignment(null)).toEqual({ value: '—', sentence: 'No won revenue yet, so no alignment index.' });
  });
});

describe('labels', () => {
  it('flags won and lost leads only', () => {
    expect(leadStatusLabel('won')).toBe('Won');
    expect(leadStatusLabel('lost')).toBe('Lost');
    expect(leadStatusLabel('open')).toBeNull();
    expect(leadStatusLabel(null)).toBeNull();
  });

  it('colours grades from A (good) to D (plain)', () => {
    expect(gradeVariant('A')).toBe('success');
    expect(gradeVariant('b')).toBe('info');
    expect(gradeVariant('C')).toBe('warning');
    expect(gradeVariant('D')).toBe('default');
  });
});

// Figures as a rep reads them: whole percents, rounded counts, one plain sentence each.
// A no-break space sits between a number and its unit so a narrow sidebar never splits "22 %".

const NBSP = '\u00a0';
const counts = new Intl.NumberFormat('en-US');

const wholePercent = (fraction: number): number => Math.round(fraction * 100);

/** 0.224 → "22 %"; keeps tiny and near-certain rates honest ("<1 %", ">99 %"). */
export function percent(fraction: number | null): string | null {
  if (fraction === null) return null;
  const whole = wholePercent(fraction);
  if (whole === 0 && fraction > 0) return `<1${NBSP}%`;
  if (whole === 100 && fraction < 1) return `>99${NBSP}%`;
  return `${whole}${NBSP}%`;
}

/** 0.148, 0.311 → "15–31 %"; null when either end is unknown. */
export function percentRange(low: number | null, high: number | null): string | null {
  if (low === null || high === null) return null;
  const from = wholePercent(low);
  const to = wholePercent(high);
  return from === to ? `${from}${NBSP}%` : `${from}–${to}${NBSP}%`;
}

/** 180 → "180 days". */
export function days(count: number): string {
  return `${counts.format(count)}${NBSP}${count === 1 ? 'day' : 'days'}`;
}

/** 98 → "98 leads". */
export function leadCount(count: number | null): string | null {
  if (count === null) return null;
  return `${counts.format(count)}${NBSP}${count === 1 ? 'lead' : 'leads'}`;
}

/** Lead score 0–100 as a whole number. */
export function score(value: number | null): string | null {
  if (value === null) return null;
  return String(Math.round(Math.min(100, Math.max(0, value))));
}

/** The share of the cohort observed for the whole horizon or already closed. */
export function maturitySentence(maturity: number | null): string | null {
  if (maturity === null) return null;
  if (maturity >= 1) return "All of this campaign's leads have had time to close.";
  if (maturity <= 0) return "None of this campaign's leads has had time to close yet.";
  return `${percent(maturity)} of this campaign's leads have had time to close.`;
}

export interface AlignmentText {
  value: string;
  sentence: string;
}

/** Share of won revenue over share of leads, one decimal; null means no won revenue yet. */
export function alignment(index: number | null): AlignmentText {
  if (index === null) return { value: '—', sentence: 'No won revenue yet, so no alignment index.' };
  const rounded = Math.round(index * 10) / 10;
  if (rounded === 1) {
    return { value: '1.0', sentence: 'Pulls its weight: its share of revenue matches its share of leads.' };
  }
  if (rounded === 0) {
    return { value: '0.0', sentence: 'Has brought almost none of the revenue its share of leads suggests.' };
  }
  const value = rounded.toFixed(1);
  return { value, sentence: `Brings ${value}× the revenue its share of leads suggests.` };
}

/** open / won / lost as a label; null for an open lead (nothing to flag). */
export function leadStatusLabel(status: string | null): string | null {
  if (status === 'won') return 'Won';
  if (status === 'lost') return 'Lost';
  return null;
}

export type TagVariant = 'default' | 'warning' | 'success' | 'error' | 'info';

export function gradeVariant(grade: string): TagVariant {
  switch (grade.toUpperCase()) {
    case 'A':
      return 'success';
    case 'B':
      return 'info';
    case 'C':
      return 'warning';
    default:
      return 'default';
  }
}

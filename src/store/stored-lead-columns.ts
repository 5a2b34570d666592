import type { LeadColumnsBuilder } from '../core/lead-columns.ts';

/** The fields of stored lead figures (lead-figures-codec.ts) the lag-aware statistics read. */
interface StoredTimes {
  readonly c: string;
  readonly d: number;
  readonly s: 'o' | 'w' | 'l';
  readonly o: 0 | 1;
  readonly od?: number;
  readonly cd?: number;
  readonly t?: number;
}

const OUTCOMES = { o: 0, w: 1, l: 2 } as const;

/**
 * Adds a lead, as the projection stores its figures, to its campaign's columns: one JSON.parse and
 * no other allocation, where `decodeLeadFigures` also rebuilds the lead's won deals and sums them,
 * which the statistics never read. A scan of every lead spends most of its time here. Reads the
 * codec's stored fields; a test keeps it equal to `decodeLeadFigures`.
 */
export function addStoredLead(text: string, columnsOf: (campaign: string) => LeadColumnsBuilder): void {
  const stored = JSON.parse(text) as StoredTimes;
  columnsOf(stored.c).addValues(
    stored.d,
    stored.od ?? null,
    stored.cd ?? null,
    OUTCOMES[stored.s],
    stored.o === 1,
    stored.t ?? 0,
  );
}

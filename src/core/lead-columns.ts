import type { LeadFigures } from './lead-figures.ts';

/**
 * A cohort's lead figures as columns: what the lag-aware statistics read of each lead, so a
 * portal's million leads are a few typed arrays instead of a million objects. Dates in epoch ms,
 * NaN where the lead has none; status as a survival outcome (0 open, 1 won, 2 lost); stage the
 * furthest score stage (0–3).
 */
export interface LeadColumns {
  readonly length: number;
  readonly leadDate: Float64Array;
  readonly opportunityDate: Float64Array;
  readonly closedDate: Float64Array;
  readonly status: Uint8Array;
  readonly opportunity: Uint8Array;
  readonly stage: Uint8Array;
}

const STATUS_CODES = { open: 0, won: 1, lost: 2 } as const;

type Mutable = { -readonly [K in keyof LeadColumns]: LeadColumns[K] };

function allocate(capacity: number): Mutable {
  return {
    length: 0,
    leadDate: new Float64Array(capacity),
    opportunityDate: new Float64Array(capacity),
    closedDate: new Float64Array(capacity),
    status: new Uint8Array(capacity),
    opportunity: new Uint8Array(capacity),
    stage: new Uint8Array(capacity),
  };
}

function grow(columns: Mutable): Mutable {
  const grown = allocate(columns.leadDate.length * 2);
  grown.leadDate.set(columns.leadDate);
  grown.opportunityDate.set(columns.opportunityDate);
  grown.closedDate.set(columns.closedDate);
  grown.status.set(columns.status);
  grown.opportunity.set(columns.opportunity);
  grown.stage.set(columns.stage);
  grown.length = columns.length;
  return grown;
}

/** Columns that grow as leads are added; `columns()` is a view of those added so far. */
export function leadColumnsBuilder(capacity = 256) {
  let columns = allocate(Math.max(1, capacity));
  const addValues = (
    leadDate: number,
    opportunityDate: number | null,
    closedDate: number | null,
    status: 0 | 1 | 2,
    opportunity: boolean,
    stage: number,
  ): void => {
    if (columns.length === columns.leadDate.length) columns = grow(columns);
    const index = columns.length++;
    columns.leadDate[index] = leadDate;
    columns.opportunityDate[index] = opportunityDate ?? Number.NaN;
    columns.closedDate[index] = closedDate ?? Number.NaN;
    columns.status[index] = status;
    columns.opportunity[index] = opportunity ? 1 : 0;
    columns.stage[index] = stage;
  };
  return {
    /** One lead's values, for readers that have them without a LeadFigures object. */
    addValues,
    add: (lead: LeadFigures): void =>
      addValues(
        lead.leadDate,
        lead.opportunityDate,
        lead.closedDate,
        STATUS_CODES[lead.status],
        lead.opportunity,
        lead.stage,
      ),
    columns: (): LeadColumns => columns,
  };
}

export type LeadColumnsBuilder = ReturnType<typeof leadColumnsBuilder>;

export function leadColumns(leads: readonly LeadFigures[]): LeadColumns {
  const builder = leadColumnsBuilder(leads.length);
  for (const lead of leads) builder.add(lead);
  return builder.columns();
}

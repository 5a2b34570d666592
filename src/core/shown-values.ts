import type { RecordValues } from './record-values.ts';

/**
 * A record's closeloop_* values as closeloop would have sent them: HubSpot keeps a number as a
 * number and may show the alignment index 1.0 as "1", so its one decimal is put back before what a
 * record shows is compared with what closeloop wrote.
 */
export function asSent(values: RecordValues): RecordValues {
  const index = values.closeloop_alignment_index;
  if (index === undefined || index.trim() === '' || !Number.isFinite(Number(index))) return values;
  return { ...values, closeloop_alignment_index: Number(index).toFixed(1) };
}

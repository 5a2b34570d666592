/** HubSpot's default lifecycle stages, in funnel order ("other" sits outside the funnel). */
export const LIFECYCLE_STAGES = [
  { value: 'subscriber', label: 'Subscriber' },
  { value: 'lead', label: 'Lead' },
  { value: 'marketingqualifiedlead', label: 'Marketing Qualified Lead' },
  { value: 'salesqualifiedlead', label: 'Sales Qualified Lead' },
  { value: 'opportunity', label: 'Opportunity' },
  { value: 'customer', label: 'Customer' },
  { value: 'evangelist', label: 'Evangelist' },
  { value: 'other', label: 'Other' },
] as const;

export type LifecycleDatesMode = 'v2' | 'legacy';

/** Current portals name entry dates by stage id; older ones by stage name (detectable by which exist). */
export function stageEntryProperty(mode: LifecycleDatesMode, stage: string): string {
  return mode === 'v2' ? `hs_v2_date_entered_${stage}` : `hs_lifecyclestage_${stage}_date`;
}

export function stageRank(stage: string | undefined): number {
  return LIFECYCLE_STAGES.findIndex((s) => s.value === stage);
}

/** Merges keep the stage furthest down the funnel; "other" only wins over nothing. */
export function furthestStage(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || a === 'other') return b ?? a;
  if (b === undefined || b === 'other') return a;
  return stageRank(a) >= stageRank(b) ? a : b;
}

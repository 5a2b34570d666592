import type { ObjectType } from './crm.ts';

/** The `closeloop` property group and the properties closeloop writes, as HubSpot creates them. */
export const PROPERTY_GROUP = { name: 'closeloop', label: 'closeloop', displayOrder: -1 } as const;

export interface OwnProperty {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly type: 'string' | 'number' | 'enumeration' | 'datetime';
  readonly fieldType: 'text' | 'textarea' | 'number' | 'select' | 'date';
  readonly numberDisplayHint?: 'formatted' | 'percentage';
  readonly options?: readonly { label: string; value: string; displayOrder: number; hidden: boolean }[];
}

const campaign: OwnProperty = {
  name: 'closeloop_campaign',
  label: 'Lead campaign',
  description: 'The campaign this lead came from, as closeloop counts it.',
  type: 'string',
  fieldType: 'text',
};

const closeRate: OwnProperty = {
  name: 'closeloop_campaign_close_rate',
  label: 'Campaign close rate (%)',
  description: "Share of this campaign's leads that close won, in whole percent.",
  type: 'number',
  fieldType: 'number',
  numberDisplayHint: 'percentage',
};

const GRADES = ['A', 'B', 'C', 'D'] as const;

export const OWN_PROPERTIES: Readonly<Record<ObjectType, readonly OwnProperty[]>> = {
  contacts: [
    campaign,
    {
      name: 'closeloop_lead_score',
      label: 'Lead score',
      description: 'Chance in percent (0–100) that this lead closes won, from how leads like it have done.',
      type: 'number',
      fieldType: 'number',
      numberDisplayHint: 'formatted',
    },
    {
      name: 'closeloop_lead_grade',
      label: 'Lead grade',
      description: "A–D: this lead's chance to close against the average lead's.",
      type: 'enumeration',
      fieldType: 'select',
      options: GRADES.map((grade, index) => ({
        label: grade,
        value: grade,
        displayOrder: index,
        hidden: false,
      })),
    },
    closeRate,
    {
      name: 'closeloop_score_reason',
      label: 'Lead score reason',
      description: 'Why this lead has its score, in one sentence.',
      type: 'string',
      fieldType: 'textarea',
    },
    {
      name: 'closeloop_scored_at',
      label: 'Lead score changed at',
      description: 'When the closeloop values on this record last changed.',
      type: 'datetime',
      fieldType: 'date',
    },
  ],
  deals: [
    campaign,
    closeRate,
    {
      name: 'closeloop_alignment_index',
      label: 'Campaign alignment index',
      description: "The campaign's share of won revenue over its share of leads: 1.0 pulls its weight.",
      type: 'number',
      fieldType: 'number',
      numberDisplayHint: 'formatted',
    },
  ],
};

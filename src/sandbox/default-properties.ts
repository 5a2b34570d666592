import { LIFECYCLE_STAGES, type LifecycleDatesMode, stageEntryProperty } from './lifecycle.ts';
import type { ObjectTypeName } from './object-types.ts';
import { DEAL_PIPELINES } from './pipelines.ts';
import { builtIn, type PropertyDefinition, type Spec, toOptions } from './property-definitions.ts';

/** The HubSpot-defined properties closeloop reads, with HubSpot's names, types and options. */
const ANALYTICS_SOURCES = [
  ['ORGANIC_SEARCH', 'Organic Search'],
  ['PAID_SEARCH', 'Paid Search'],
  ['EMAIL_MARKETING', 'Email Marketing'],
  ['SOCIAL_MEDIA', 'Organic Social'],
  ['REFERRALS', 'Referrals'],
  ['OTHER_CAMPAIGNS', 'Other Campaigns'],
  ['DIRECT_TRAFFIC', 'Direct Traffic'],
  ['OFFLINE', 'Offline Sources'],
  ['PAID_SOCIAL', 'Paid Social'],
].map(([value, label]) => ({ value: value as string, label: label as string }));

function contactProperties(mode: LifecycleDatesMode): PropertyDefinition[] {
  const info = 'contactinformation';
  const analytics = 'analyticsinformation';
  return [
    builtIn(['email', 'Email', 'string', 'text', info, false]),
    builtIn(['firstname', 'First Name', 'string', 'text', info, false]),
    builtIn(['lastname', 'Last Name', 'string', 'text', info, false]),
    builtIn(['createdate', 'Create Date', 'datetime', 'date', info, false]),
    builtIn(['lastmodifieddate', 'Last Modified Date', 'datetime', 'date', info, true]),
    builtIn(
      ['lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', info, false],
      toOptions(LIFECYCLE_STAGES),
    ),
    builtIn(
      ['hs_analytics_source', 'Original Traffic Source', 'enumeration', 'select', analytics, true],
      toOptions(ANALYTICS_SOURCES),
    ),
    builtIn([
      'hs_analytics_source_data_1',
      'Original Traffic Source Drill-Down 1',
      'string',
      'text',
      analytics,
      true,
    ]),
    builtIn([
      'hs_analytics_source_data_2',
      'Original Traffic Source Drill-Down 2',
      'string',
      'text',
      analytics,
      true,
    ]),
    builtIn([
      'hs_analytics_first_touch_converting_campaign',
      'First Touch Converting Campaign',
      'string',
      'text',
      analytics,
      true,
    ]),
    builtIn([
      'hs_analytics_last_touch_converting_campaign',
      'Last Touch Converting Campaign',
      'string',
      'text',
      analytics,
      true,
    ]),
    builtIn(['hs_object_id', 'Record ID', 'number', 'number', info, true]),
    builtIn(['hs_merged_object_ids', 'Merged Contact IDs', 'string', 'text', info, true]),
    rollup([
      'num_associated_deals',
      'Number of Associated Deals',
      'number',
      'number',
      'deal_information',
      true,
    ]),
    ...LIFECYCLE_STAGES.map((s) =>
      builtIn([
        stageEntryProperty(mode, s.value),
        `Date entered "${s.label} (Lifecycle Stage Pipeline)"`,
        'datetime',
        'date',
        info,
        true,
      ]),
    ),
  ];
}

function dealProperties(currency: string): PropertyDefinition[] {
  const info = 'dealinformation';
  const stages = DEAL_PIPELINES.flatMap((p) =>
    p.stages.map((s) => ({ value: s.id, label: `${s.label} (${p.label})` })),
  );
  const currencies = [...new Set([currency, 'USD', 'EUR', 'GBP'])].map((c) => ({ value: c, label: c }));
  const amount = builtIn(['amount', 'Amount', 'number', 'number', info, false]);
  const homeAmount = builtIn([
    'amount_in_home_currency',
    'Amount in company currency',
    'number',
    'number',
    info,
    true,
  ]);
  for (const money of [amount, homeAmount]) money.numberDisplayHint = 'currency';
  return [
    builtIn(['dealname', 'Deal Name', 'string', 'text', info, false]),
    builtIn(
      ['pipeline', 'Pipeline', 'enumeration', 'select', info, false],
      toOptions(DEAL_PIPELINES.map((p) => ({ value: p.id, label: p.label }))),
    ),
    builtIn(['dealstage', 'Deal Stage', 'enumeration', 'radio', info, false], toOptions(stages)),
    amount,
    homeAmount,
    builtIn(['closedate', 'Close Date', 'datetime', 'date', info, false]),
    builtIn(['createdate', 'Create Date', 'datetime', 'date', info, false]),
    builtIn(['hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', info, true]),
    builtIn(
      ['hs_is_closed', 'Is Deal Closed?', 'bool', 'booleancheckbox', info, true],
      toOptions(BOOL_OPTIONS),
    ),
    builtIn(
      ['hs_is_closed_won', 'Is Closed Won', 'bool', 'booleancheckbox', info, true],
      toOptions(BOOL_OPTIONS),
    ),
    builtIn(
      ['hs_is_closed_lost', 'Is Closed Lost', 'bool', 'booleancheckbox', info, true],
      toOptions(BOOL_OPTIONS),
    ),
    builtIn(['hs_object_id', 'Record ID', 'number', 'number', info, true]),
    builtIn(['hs_merged_object_ids', 'Merged Deal IDs', 'string', 'text', info, true]),
    rollup(['num_associated_contacts', 'Number of Contacts', 'number', 'number', 'deal_activity', true]),
    builtIn(['deal_currency_code', 'Currency', 'enumeration', 'select', info, false], toOptions(currencies)),
  ];
}

/** An association count HubSpot calculates (see association-rollups.ts); never writable. */
function rollup(spec: Spec): PropertyDefinition {
  return { ...builtIn(spec), calculated: true };
}

const BOOL_OPTIONS = [
  { value: 'true', label: 'Yes' },
  { value: 'false', label: 'No' },
];

export function defaultProperties(
  type: ObjectTypeName,
  mode: LifecycleDatesMode,
  currency: string,
): PropertyDefinition[] {
  return type === 'contacts' ? contactProperties(mode) : dealProperties(currency);
}

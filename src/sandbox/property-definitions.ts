import type { ObjectTypeName } from './object-types.ts';

export type PropertyType =
  | 'string'
  | 'number'
  | 'enumeration'
  | 'bool'
  | 'date'
  | 'datetime'
  | 'phone_number';

export type PropertyOption = {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
};

export type PropertyDefinition = {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hidden: boolean;
  formField: boolean;
  hasUniqueValue: boolean;
  calculated: boolean;
  externalOptions: boolean;
  hubspotDefined: boolean;
  readOnlyValue: boolean;
  readOnlyDefinition: boolean;
  archived: boolean;
  createdAt: number;
  updatedAt: number;
  numberDisplayHint?: string;
  showCurrencySymbol?: boolean;
};

export type PropertyGroup = { name: string; label: string; displayOrder: number; archived: boolean };

/** Fixed creation time of HubSpot's own properties, so their JSON is stable. */
const BUILT_IN_AT = Date.UTC(2019, 7, 6, 2, 41, 52, 26);

export type Spec = [
  name: string,
  label: string,
  type: PropertyType,
  fieldType: string,
  group: string,
  readOnly: boolean,
];

export function builtIn(
  [name, label, type, fieldType, groupName, readOnly]: Spec,
  options: PropertyOption[] = [],
) {
  const definition: PropertyDefinition = {
    name,
    label,
    type,
    fieldType,
    groupName,
    description: '',
    options,
    displayOrder: -1,
    hidden: false,
    formField: !readOnly && type !== 'datetime',
    hasUniqueValue: false,
    calculated: false,
    externalOptions: false,
    hubspotDefined: true,
    readOnlyValue: readOnly,
    readOnlyDefinition: true,
    archived: false,
    createdAt: BUILT_IN_AT,
    updatedAt: BUILT_IN_AT,
  };
  return definition;
}

export function toOptions(values: readonly { value: string; label: string }[]): PropertyOption[] {
  return values.map((v, displayOrder) => ({ label: v.label, value: v.value, displayOrder, hidden: false }));
}

export function defaultGroups(type: ObjectTypeName): PropertyGroup[] {
  const groups: [string, string][] =
    type === 'contacts'
      ? [
          ['contactinformation', 'Contact information'],
          ['analyticsinformation', 'Web analytics history'],
          ['deal_information', 'Deal information'],
        ]
      : [
          ['dealinformation', 'Deal information'],
          ['deal_activity', 'Deal activity'],
        ];
  return groups.map(([name, label], displayOrder) => ({ name, label, displayOrder, archived: false }));
}

export function propertyToJson(p: PropertyDefinition): Record<string, unknown> {
  const json: Record<string, unknown> = {
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    description: p.description,
    groupName: p.groupName,
    options: p.options,
    displayOrder: p.displayOrder,
    calculated: p.calculated,
    externalOptions: p.externalOptions,
    hasUniqueValue: p.hasUniqueValue,
    hidden: p.hidden,
    hubspotDefined: p.hubspotDefined,
    formField: p.formField,
    archived: p.archived,
    createdAt: new Date(p.createdAt).toISOString(),
    updatedAt: new Date(p.updatedAt).toISOString(),
    modificationMetadata: {
      archivable: !p.hubspotDefined,
      readOnlyDefinition: p.readOnlyDefinition,
      readOnlyValue: p.readOnlyValue,
    },
  };
  if (p.numberDisplayHint !== undefined) json.numberDisplayHint = p.numberDisplayHint;
  if (p.showCurrencySymbol !== undefined) json.showCurrencySymbol = p.showCurrencySymbol;
  return json;
}

import { errorBody, HubSpotError } from './hubspot-errors.ts';

export type ObjectTypeName = 'contacts' | 'deals';

export type ObjectTypeInfo = {
  name: ObjectTypeName;
  typeId: '0-1' | '0-3';
  singular: 'contact' | 'deal';
  /** HubSpot's upper-case object name used in messages and association types. */
  upper: 'CONTACT' | 'DEAL';
  /** The last-modified property differs between the two objects. */
  modifiedProperty: 'lastmodifieddate' | 'hs_lastmodifieddate';
};

export const CONTACTS: ObjectTypeInfo = {
  name: 'contacts',
  typeId: '0-1',
  singular: 'contact',
  upper: 'CONTACT',
  modifiedProperty: 'lastmodifieddate',
};

export const DEALS: ObjectTypeInfo = {
  name: 'deals',
  typeId: '0-3',
  singular: 'deal',
  upper: 'DEAL',
  modifiedProperty: 'hs_lastmodifieddate',
};

const ALIASES = new Map<string, ObjectTypeInfo>();
for (const info of [CONTACTS, DEALS]) {
  for (const alias of [info.name, info.typeId, info.singular, info.upper, info.upper.toLowerCase()]) {
    ALIASES.set(alias.toLowerCase(), info);
  }
}

export function findObjectType(raw: string): ObjectTypeInfo | undefined {
  return ALIASES.get(raw.toLowerCase());
}

export function objectType(raw: string): ObjectTypeInfo {
  const info = findObjectType(raw);
  if (!info) {
    throw new HubSpotError(400, errorBody('VALIDATION_ERROR', `Unable to infer object type from: ${raw}`));
  }
  return info;
}

export function otherType(info: ObjectTypeInfo): ObjectTypeInfo {
  return info.name === 'contacts' ? DEALS : CONTACTS;
}

import { findObjectType, type ObjectTypeName } from './object-types.ts';

/** Every scope the sandbox checks: what its token is granted unless told otherwise. */
export const SCOPES = [
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.schemas.deals.read',
  'crm.schemas.deals.write',
  'marketing.campaigns.read',
  'marketing.campaigns.revenue.read',
] as const;

export type Scope = (typeof SCOPES)[number];

/**
 * What a call needs: every inner list must be met, each by any one of its scopes (an association
 * read needs a read scope of both objects; a property read takes either an objects or a schemas
 * scope).
 */
export type ScopeNeed = readonly (readonly Scope[])[];

/** A route's need, from its path parameters (the object type decides which CRM scope). */
export type ScopeRule = (params: Record<string, string>) => ScopeNeed;

type Param = string;

/** An object type the sandbox does not know needs nothing here: the handler answers its 400. */
function byType(param: Param, need: (type: ObjectTypeName) => Scope[][]): ScopeRule {
  return (params) => {
    const type = findObjectType(params[param] ?? '')?.name;
    return type === undefined ? [] : need(type);
  };
}

export const objectRead = (param: Param = 'objectType'): ScopeRule =>
  byType(param, (t) => [[`crm.objects.${t}.read`]]);

export const objectWrite = (param: Param = 'objectType'): ScopeRule =>
  byType(param, (t) => [[`crm.objects.${t}.write`]]);

export const propertyRead = (param: Param = 'objectType'): ScopeRule =>
  byType(param, (t) => [[`crm.objects.${t}.read`, `crm.schemas.${t}.read`]]);

export const schemaWrite = (param: Param = 'objectType'): ScopeRule =>
  byType(param, (t) => [[`crm.schemas.${t}.write`]]);

/** Reading associations needs the read scope of both ends. */
export function associationRead(from: Param, to: Param): ScopeRule {
  const a = objectRead(from);
  const b = objectRead(to);
  return (params) => [...a(params), ...b(params)];
}

/** Writing associations needs the write scope of the from-object only. */
export const associationWrite = (from: Param): ScopeRule => objectWrite(from);

export const fixedScopes =
  (...anyOf: Scope[]): ScopeRule =>
  () => [anyOf];

/** Only a valid token (account details). */
export const tokenOnly: ScopeRule = () => [];

const CAMPAIGN_SCOPES = new Set<Scope>(['marketing.campaigns.read', 'marketing.campaigns.revenue.read']);

/** Below Marketing Hub Professional the campaign scopes cannot be granted, whatever the app asks. */
export function grantedScopes(scopes: readonly Scope[], campaignsApi: 'available' | 'forbidden'): Set<Scope> {
  return new Set(campaignsApi === 'forbidden' ? scopes.filter((s) => !CAMPAIGN_SCOPES.has(s)) : scopes);
}

/** The first requirement none of whose scopes is granted, or undefined when the call may go on. */
export function unmetScopes(need: ScopeNeed, granted: ReadonlySet<Scope>): readonly Scope[] | undefined {
  return need.find((anyOf) => !anyOf.some((scope) => granted.has(scope)));
}

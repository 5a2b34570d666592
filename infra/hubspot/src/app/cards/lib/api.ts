import { hubspot } from '@hubspot/ui-extensions';

// The contract of closeloop's GET /api/card/{objectType}/{objectId}. Any number may be null.

export type CardObjectType = 'contacts' | 'deals';

export interface RateInterval {
  rate: number | null;
  low: number | null;
  high: number | null;
}

export interface HorizonRate extends RateInterval {
  days: number | null;
  maturity: number | null;
}

export interface LeadFigures {
  status: string | null;
  score: number | null;
  grade: string | null;
  reason: string | null;
}

export interface CampaignFigures {
  key: string | null;
  name: string | null;
  leads: number | null;
  closeRateAtHorizon: HorizonRate | null;
  leadToClose: RateInterval | null;
  alignmentIndex: number | null;
}

export interface CardData {
  lead: LeadFigures | null;
  campaign: CampaignFigures | null;
}

export type CardResult =
  | { kind: 'figures'; data: CardData }
  | { kind: 'none' }
  | { kind: 'unreachable' }
  | { kind: 'status'; status: number }
  | { kind: 'unreadable' };

/** HubSpot waits at most this long for closeloop (its own ceiling is 15 s by default). */
export const FETCH_TIMEOUT_MS = 10_000;

const OBJECT_TYPES: Record<string, CardObjectType> = { '0-1': 'contacts', '0-3': 'deals' };

/** Maps HubSpot's object type id (`0-1`, `0-3`) to the path segment closeloop expects. */
export function cardObjectType(objectTypeId: string): CardObjectType | null {
  return OBJECT_TYPES[objectTypeId] ?? null;
}

export function cardUrl(baseUrl: string, objectType: CardObjectType, objectId: string | number): string {
  return `${baseUrl}/api/card/${objectType}/${encodeURIComponent(String(objectId))}`;
}

/** Asks closeloop for the record's figures; never throws. */
export async function fetchCard(url: string): Promise<CardResult> {
  let response: Response;
  try {
    response = await hubspot.fetch(url, { method: 'GET', timeout: FETCH_TIMEOUT_MS });
  } catch {
    return { kind: 'unreachable' };
  }
  if (response.status === 404) return { kind: 'none' };
  if (!response.ok) return { kind: 'status', status: response.status };
  try {
    const data = parseCardData(await response.json());
    return data ? { kind: 'figures', data } : { kind: 'unreadable' };
  } catch {
    return { kind: 'unreadable' };
  }
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

const str = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;

function parseInterval(value: unknown): RateInterval | null {
  if (!isObject(value)) return null;
  return { rate: num(value.rate), low: num(value.low), high: num(value.high) };
}

function parseHorizon(value: unknown): HorizonRate | null {
  const interval = parseInterval(value);
  if (!interval || !isObject(value)) return null;
  return { ...interval, days: num(value.days), maturity: num(value.maturity) };
}

function parseLead(value: unknown): LeadFigures | null {
  if (!isObject(value)) return null;
  return {
    status: str(value.status),
    score: num(value.score),
    grade: str(value.grade),
    reason: str(value.reason),
  };
}

function parseCampaign(value: unknown): CampaignFigures | null {
  if (!isObject(value)) return null;
  return {
    key: str(value.key),
    name: str(value.name),
    leads: num(value.leads),
    closeRateAtHorizon: parseHorizon(value.closeRateAtHorizon),
    leadToClose: parseInterval(value.leadToClose),
    alignmentIndex: num(value.alignmentIndex),
  };
}

/** Reads the body leniently: a missing or mistyped field becomes null; a non-object body is unreadable. */
export function parseCardData(body: unknown): CardData | null {
  if (!isObject(body)) return null;
  return { lead: parseLead(body.lead), campaign: parseCampaign(body.campaign) };
}

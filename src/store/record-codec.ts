import {
  compactAfter,
  compactNumber,
  compactOptional,
  readCompactAfter,
  readCompactNumber,
  readCompactOptional,
} from './compact-number.ts';
import type { NameTable } from './name-codes.ts';
import type { ContactRecord, DealRecord } from './projection.ts';

/**
 * Contacts and deals as the projection stores them: comma-separated fields with names (campaign,
 * stages, pipeline) as codes of the projection's dictionary and dates as compact numbers, most
 * relative to the record's first date, so a typical contact takes about 50 bytes and a bucket of
 * them stays a listpack (buckets.ts).
 *
 *   contact: campaign , lead date , stage , stage:entered;… (after the lead date) , deal ids joined by ;
 *   deal:    pipeline , created , closed (after created) , won lost , amount , contact ids joined by ;
 */

function ids(list: readonly string[]): string {
  for (const id of list)
    if (id === '' || /[,;]/.test(id)) throw new Error(`a record id cannot be stored: "${id}"`);
  return list.join(';');
}

const readIds = (text: string): string[] => (text === '' ? [] : text.split(';'));

function fields(text: string, count: number, what: string): string[] {
  const parts = text.split(',');
  if (parts.length !== count) throw new Error(`a stored ${what} is malformed: "${text}"`);
  return parts;
}

/** Names the record refers to, to be coded before it is encoded. */
export function contactNames(record: ContactRecord): string[] {
  return [
    record.campaign,
    ...(record.stage === null ? [] : [record.stage]),
    ...Object.keys(record.stageEntered),
  ];
}

export function encodeContact(record: ContactRecord, codeOf: (name: string) => string): string {
  const base = record.leadDate ?? 0;
  const entered = Object.entries(record.stageEntered).map(
    ([stage, date]) => `${codeOf(stage)}:${compactAfter(date, base)}`,
  );
  return [
    codeOf(record.campaign),
    compactOptional(record.leadDate),
    record.stage === null ? '' : codeOf(record.stage),
    entered.join(';'),
    ids(record.dealIds),
  ].join(',');
}

export function decodeContact(text: string, names: NameTable): ContactRecord {
  const [campaign, leadDate, stage, entered, dealIds] = fields(text, 5, 'contact') as [
    string,
    string,
    string,
    string,
    string,
  ];
  const lead = readCompactOptional(leadDate);
  const stageEntered: Record<string, number> = {};
  for (const pair of entered === '' ? [] : entered.split(';')) {
    const [code, date] = pair.split(':') as [string, string];
    stageEntered[names.nameOf(code)] = readCompactAfter(date, lead ?? 0);
  }
  return {
    campaign: names.nameOf(campaign),
    leadDate: lead,
    stage: stage === '' ? null : names.nameOf(stage),
    stageEntered,
    dealIds: readIds(dealIds),
  };
}

export function encodeDeal(record: DealRecord, codeOf: (name: string) => string): string {
  const amount = record.amount === null ? '' : Object.is(record.amount, -0) ? '-0' : String(record.amount);
  return [
    codeOf(record.pipeline),
    compactNumber(record.createdAt),
    record.closedAt === null ? '' : compactAfter(record.closedAt, record.createdAt),
    `${record.won ? 1 : 0}${record.lost ? 1 : 0}`,
    amount,
    ids(record.contactIds),
  ].join(',');
}

export function decodeDeal(text: string, names: NameTable): DealRecord {
  const [pipeline, created, closed, flags, amount, contactIds] = fields(text, 6, 'deal') as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const createdAt = readCompactNumber(created);
  return {
    pipeline: names.nameOf(pipeline),
    createdAt,
    closedAt: closed === '' ? null : readCompactAfter(closed, createdAt),
    won: flags[0] === '1',
    lost: flags[1] === '1',
    amount: amount === '' ? null : Number(amount),
    contactIds: readIds(contactIds),
  };
}

/** The name codes a stored contact refers to. */
export function contactCodes(text: string): string[] {
  const [campaign, , stage, entered] = text.split(',');
  const stages = entered ? entered.split(';').map((pair) => pair.slice(0, pair.indexOf(':'))) : [];
  return [campaign ?? '', ...(stage ? [stage] : []), ...stages];
}

/** The name code a stored deal refers to. */
export function dealCodes(text: string): string[] {
  return [text.slice(0, text.indexOf(','))];
}

import type { LeadColumnsBuilder } from '../core/lead-columns.ts';
import { addStoredLead } from './stored-lead-columns.ts';

const bytesOf = (text: string) => new TextEncoder().encode(text);
const START = bytesOf('{"c":"');
const LEAD_DATE = bytesOf('","d":');
const STATUS = bytesOf(',"s":"');
const OPPORTUNITY = bytesOf('","o":');
const SHARES = bytesOf(',"p":');
const STAGE = bytesOf(',"t":');
const SKIPPED = bytesOf(',"k":');
const OPPORTUNITY_DATE = bytesOf(',"od":');
const CLOSED_DATE = bytesOf(',"cd":');
const [QUOTE, BACKSLASH, COMMA, MINUS, OPEN, CLOSE, END] = [34, 92, 44, 45, 91, 93, 125];
const [OPEN_STATUS, WON_STATUS, LOST_STATUS] = [111, 119, 108];
/** Integers of up to 15 digits are read exactly as JSON.parse reads them. */
const MAX_DIGITS = 15;

const decoder = new TextDecoder();

function sameBytes(known: Uint8Array, bytes: Uint8Array, from: number, to: number): boolean {
  if (known.length !== to - from) return false;
  for (let index = 0; index < known.length; index++) if (known[index] !== bytes[from + index]) return false;
  return true;
}

interface KnownCampaign {
  readonly bytes: Uint8Array;
  readonly builder: LeadColumnsBuilder;
}

/**
 * Reads stored lead figures straight from the bytes Redis sent, for a scan of every lead: no string
 * per lead or per id, the campaign found by its bytes. Only the codec's canonical form is read
 * here (its fields in encodeLeadFigures' order, integers, a campaign without escapes); anything
 * else goes to `addStoredLead`'s JSON.parse, so the result is the same for any stored value (a
 * property test checks it against decodeLeadFigures' output).
 */
export function storedLeadReader(columnsOf: (campaign: string) => LeadColumnsBuilder) {
  const campaigns = new Map<number, KnownCampaign[]>();
  let bytes: Uint8Array = new Uint8Array(0);
  let at = 0;
  const literal = (expected: Uint8Array): boolean => {
    if (at + expected.length > bytes.length) return false;
    for (let index = 0; index < expected.length; index++)
      if (bytes[at + index] !== expected[index]) return false;
    at += expected.length;
    return true;
  };
  const integer = (): number => {
    const negative = bytes[at] === MINUS;
    const from = negative ? ++at : at;
    let value = 0;
    for (let digit = (bytes[at] ?? 0) - 48; digit >= 0 && digit <= 9; digit = (bytes[at] ?? 0) - 48) {
      value = value * 10 + digit;
      at++;
    }
    const next = bytes[at];
    if (at === from || at - from > MAX_DIGITS || (next !== COMMA && next !== END)) return Number.NaN;
    return negative ? -value : value;
  };
  const skipArray = (): boolean => {
    if (bytes[at] !== OPEN) return false;
    let depth = 0;
    do {
      const byte = bytes[at++];
      if (byte === undefined || byte === QUOTE) return false;
      if (byte === OPEN) depth++;
      else if (byte === CLOSE) depth--;
    } while (depth > 0);
    return true;
  };
  const campaign = (): LeadColumnsBuilder | undefined => {
    const from = at;
    let hash = 0x811c9dc5;
    for (let byte = bytes[at]; byte !== QUOTE; byte = bytes[at]) {
      if (byte === undefined || byte === BACKSLASH) return undefined;
      hash = Math.imul(hash ^ byte, 0x01000193);
      at++;
    }
    const known = campaigns.get(hash) ?? [];
    for (const entry of known) if (sameBytes(entry.bytes, bytes, from, at)) return entry.builder;
    const builder = columnsOf(Buffer.from(bytes.buffer, bytes.byteOffset + from, at - from).toString('utf8'));
    campaigns.set(hash, [...known, { bytes: bytes.slice(from, at), builder }]);
    return builder;
  };
  const canonical = (): boolean => {
    at = 0;
    const builder = literal(START) ? campaign() : undefined;
    if (!builder || !literal(LEAD_DATE)) return false;
    const leadDate = integer();
    if (!literal(STATUS)) return false;
    const code = bytes[at++];
    const status = code === OPEN_STATUS ? 0 : code === WON_STATUS ? 1 : code === LOST_STATUS ? 2 : undefined;
    if (!literal(OPPORTUNITY)) return false;
    const opportunity = integer();
    if (!literal(SHARES) || !skipArray() || !literal(STAGE)) return false;
    const stage = integer();
    if (!literal(SKIPPED) || Number.isNaN(integer())) return false;
    const opportunityDate = literal(OPPORTUNITY_DATE) ? integer() : null;
    const closedDate = literal(CLOSED_DATE) ? integer() : null;
    // NaN, for a number that is not a plain integer, makes the sum NaN.
    const numbers = leadDate + opportunity + stage + (opportunityDate ?? 0) + (closedDate ?? 0);
    if (status === undefined || at !== bytes.length - 1 || bytes[at] !== END || Number.isNaN(numbers))
      return false;
    builder.addValues(leadDate, opportunityDate, closedDate, status, opportunity === 1, stage);
    return true;
  };
  return {
    add(stored: Uint8Array): void {
      bytes = stored;
      if (!canonical()) addStoredLead(decoder.decode(stored), columnsOf);
    },
  };
}

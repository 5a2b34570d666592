import type { LeadColumnsBuilder } from '../core/lead-columns.ts';
import { type LeadFigures, sumWonShares, type WonShare } from '../core/lead-figures.ts';
import type { ScoreStage } from '../core/lead-stage.ts';
import { compactNumber, compactOptional, readCompactNumber, readCompactOptional } from './compact-number.ts';
import type { NameTable } from './name-codes.ts';

/**
 * Lead figures as stored in Redis: six comma-separated fields, short enough (about 40 bytes) that
 * a bucket of them stays a listpack, and simple for the aggregate script to read (scripts.ts):
 *
 *   campaign code , lead date , status opportunity skipped stage , opportunity date , closed date , won deals
 *
 * Dates are compact numbers (compact-number.ts), empty when missing; the status is `o`, `w` or
 * `l`; opportunity and skipped are 0 or 1; the stage one digit. Won deals are `of:cents` pairs
 * joined by `;` (leads sharing the deal, its amount in whole cents), sorted, so campaign totals
 * are integer sums per denominator: adding and later removing a lead restores them exactly, under
 * any interleaving, and a deal shared three ways adds up to the whole deal. Equal figures encode
 * to equal strings, which is how an unchanged lead is recognized.
 */

const STATUS_CODES = { open: 'o', won: 'w', lost: 'l' } as const;
const STATUSES = { o: 'open', w: 'won', l: 'lost' } as const;

function byPair(a: WonShare, b: WonShare): number {
  return a.of - b.of || a.cents - b.cents;
}

/** @param codeOf - the campaign's code in the projection's name dictionary */
export function encodeLeadFigures(figures: LeadFigures, codeOf: (name: string) => string): string {
  const shares = [...figures.wonShares].sort(byPair).map(({ of, cents }) => {
    if (!Number.isSafeInteger(of) || !Number.isSafeInteger(cents))
      throw new Error(`a won share must be whole: ${of}, ${cents}`);
    return `${of}:${cents}`;
  });
  const flags = `${STATUS_CODES[figures.status]}${figures.opportunity ? 1 : 0}${figures.skipped ? 1 : 0}${figures.stage}`;
  return [
    codeOf(figures.campaign),
    compactNumber(figures.leadDate),
    flags,
    compactOptional(figures.opportunityDate),
    compactOptional(figures.closedDate),
    shares.join(';'),
  ].join(',');
}

function malformed(text: string): Error {
  return new Error(`stored lead figures are malformed: "${text}"`);
}

/** The campaign code of stored figures, without decoding the rest. */
export function storedLeadCampaignCode(text: string): string {
  return text.slice(0, text.indexOf(','));
}

export function decodeLeadFigures(text: string, names: NameTable): LeadFigures {
  if (!text.includes(',')) throw malformed(text);
  // Outside the try: a code the dictionary lacks is reported as that, not as a malformed value.
  const campaign = names.nameOf(storedLeadCampaignCode(text));
  try {
    return decodeFields(text, campaign);
  } catch {
    throw malformed(text);
  }
}

function decodeFields(text: string, campaign: string): LeadFigures {
  const [, leadDate, flags, opportunityDate, closedDate, shares, extra] = text.split(',');
  const status = STATUSES[flags?.[0] as keyof typeof STATUSES];
  const stage = Number(flags?.slice(3));
  if (shares === undefined || extra !== undefined || !status || !(stage >= 0 && stage <= 3))
    throw malformed(text);
  const wonShares =
    shares === ''
      ? []
      : shares.split(';').map((pair) => {
          const [of, cents] = pair.split(':').map(Number);
          if (!Number.isSafeInteger(of) || !Number.isSafeInteger(cents)) throw malformed(text);
          return { of: of as number, cents: cents as number };
        });
  return {
    ...sumWonShares(wonShares),
    wonShares,
    campaign,
    leadDate: readCompactNumber(leadDate as string),
    status,
    opportunity: flags?.[1] === '1',
    opportunityDate: readCompactOptional(opportunityDate as string),
    closedDate: readCompactOptional(closedDate as string),
    stage: stage as ScoreStage,
    skipped: flags?.[2] === '1',
  };
}

const [COMMA, MINUS, TILDE, ZERO, NINE, LOWER_A, LOWER_Z] = [44, 45, 126, 48, 57, 97, 122];
const OUTCOMES: Record<number, 0 | 1 | 2> = { 111: 0, 119: 1, 108: 2 };
/** Base-36 digits that always make an exact double (36^10 < 2^53). */
const MAX_DIGITS = 10;
const decoder = new TextDecoder();

/**
 * Reads stored lead figures straight from the bytes Redis sent, for a scan of every lead: no
 * string per lead; columns per campaign code (the caller names them after the scan, so a campaign
 * coded meanwhile is no problem). A property test keeps it equal to `decodeLeadFigures`.
 */
export function storedLeadReader(columnsOf: (code: string) => LeadColumnsBuilder) {
  const byCode: (LeadColumnsBuilder | undefined)[] = [];
  let bytes: Uint8Array = new Uint8Array(0);
  let at = 0;
  const fieldEnd = () => {
    let end = at;
    while (end < bytes.length && bytes[end] !== COMMA) end++;
    if (end === bytes.length) throw malformed(decoder.decode(bytes));
    return end;
  };
  const compact = (): number | null => {
    const end = fieldEnd();
    const negative = bytes[at] === MINUS;
    let value = 0;
    for (let index = negative ? at + 1 : at; index < end; index++) {
      const byte = bytes[index] as number;
      const digit =
        byte >= ZERO && byte <= NINE ? byte - ZERO : byte >= LOWER_A && byte <= LOWER_Z ? byte - 87 : -1;
      if (digit < 0 || end - at > MAX_DIGITS || bytes[at] === TILDE) {
        value = Number.NaN;
        break;
      }
      value = value * 36 + digit;
    }
    const text =
      end === at ? null : Number.isNaN(value) ? decoder.decode(bytes.subarray(at, end)) : undefined;
    at = end + 1;
    if (text === undefined) return negative ? -value : value;
    return text === null ? null : readCompactNumber(text);
  };
  const campaign = (): LeadColumnsBuilder => {
    const end = fieldEnd();
    let code = 0;
    for (let index = at; index < end; index++) {
      const digit = (bytes[index] as number) - ZERO;
      if (digit < 0 || digit > 9) throw malformed(decoder.decode(bytes));
      code = code * 10 + digit;
    }
    let builder = byCode[code];
    if (!builder) {
      builder = columnsOf(decoder.decode(bytes.subarray(at, end)));
      byCode[code] = builder;
    }
    at = end + 1;
    return builder;
  };
  return {
    add(stored: Uint8Array): void {
      bytes = stored;
      at = 0;
      const builder = campaign();
      const leadDate = compact();
      const status = OUTCOMES[bytes[at] as number];
      const stage = (bytes[at + 3] as number) - ZERO;
      if (leadDate === null || status === undefined || bytes[at + 4] !== COMMA || !(stage >= 0 && stage <= 3))
        throw malformed(decoder.decode(bytes));
      const opportunity = bytes[at + 1] === ZERO + 1;
      at += 5;
      const opportunityDate = compact();
      const closedDate = compact();
      builder.addValues(leadDate, opportunityDate, closedDate, status, opportunity, stage);
    },
  };
}

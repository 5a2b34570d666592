import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSpend } from '../../src/commands/spend-import.ts';
import { BadRequestError } from '../../src/errors.ts';
import { parseSpendCsv } from '../../src/spend-input.ts';
import { portalKeys } from '../../src/store/keys.ts';
import { savePortalSettings } from '../../src/store/portal-state.ts';
import { spendStore } from '../../src/store/spend.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';
import { configureFuzzing, FUZZ_TIMEOUT_MS } from './support/fuzz-settings.ts';

const portal = {
  portalId: 31,
  timeZone: 'UTC',
  currency: 'EUR',
  uiDomain: 'app.hubspot.com',
  stageOrder: [],
  stageDateProperties: {},
  pipelines: [],
};

const quoted = (value: string) => `"${value.replaceAll('"', '""')}"`;
const oneLineCampaign = fc.oneof(
  fc.constantFrom('webinar', 'ads', 'Spring <b>sale</b>', 'a,b', 'say "hi"', 'constructor', '__proto__'),
  fc.string({ minLength: 1, maxLength: 20 }).filter((name) => name.trim().length > 0),
);
const campaign = fc.oneof(oneLineCampaign, fc.constant('line\nbreak'));
const month = fc
  .record({ year: fc.integer({ min: 1990, max: 2100 }), month: fc.integer({ min: 1, max: 12 }) })
  .map(({ year, month }) => `${year}-${String(month).padStart(2, '0')}`);
const day = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));
const amount = fc.oneof(fc.nat({ max: 1_000_000 }).map(String), fc.constantFrom('0', '12.5', ' 300 ', '1e3'));

/** A file `closeloop spend import` accepts: either header form, any case, CRLF or LF, a BOM or not. */
const csvOf = (names: fc.Arbitrary<string>) =>
  fc
    .record({
      monthly: fc.boolean(),
      rows: fc.array(fc.tuple(names, month, day, fc.nat({ max: 300 }), amount), {
        minLength: 1,
        maxLength: 8,
      }),
      upper: fc.boolean(),
      crlf: fc.boolean(),
      bom: fc.boolean(),
    })
    .map(({ monthly, rows, upper, crlf, bom }) => {
      const header = monthly ? 'campaign,month,amount' : 'campaign,from,to,amount';
      const lines = rows.map(([name, m, from, days, value]) => {
        const to = new Date(Date.parse(from) + days * 86_400_000).toISOString().slice(0, 10);
        return monthly ? `${quoted(name)},${m},${value}` : `${quoted(name)},${from},${to},${value}`;
      });
      const text = [upper ? header.toUpperCase() : header, ...lines].join(crlf ? '\r\n' : '\n');
      return `${bom ? '\uFEFF' : ''}${text}\n`;
    });
const validCsv = csvOf(campaign);

/** One line of a valid file changed into something wrong, or the file's structure broken. */
const brokenCsv = fc
  .tuple(
    // Names on one line, so that the line changed is a whole row.
    csvOf(oneLineCampaign),
    fc.constantFrom(',-5', ',abc', ',2026-13', ',,,,', '"unclosed', ';', ',2026-02-30,2026-03-01,1', ',1e13'),
    fc.nat(),
  )
  .map(([text, junk, at]) => {
    const lines = text.split(/\r?\n/);
    const index = 1 + (at % Math.max(1, lines.length - 2));
    return lines.map((line, i) => (i === index ? `${line}${junk}` : line)).join('\n');
  });

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
  fc.constantFrom(
    '',
    '\uFEFF',
    'campaign,month,amount\n',
    'campaign\n"x',
    '__proto__,month,amount\nx,2026-01,1',
  ),
);

configureFuzzing();

describe('spend CSV input under fuzzing', { timeout: FUZZ_TIMEOUT_MS }, () => {
  const prefix = uniquePrefix(import.meta.filename);
  const redis = new Redis(TEST_REDIS_URL);
  const dir = mkdtempSync(join(tmpdir(), 'closeloop-spend-fuzz-'));
  const stored = () => spendStore(redis, portalKeys(prefix, portal.portalId)).all();
  let files = 0;

  beforeAll(async () => {
    await savePortalSettings(redis, prefix, portal);
    await spendStore(redis, portalKeys(prefix, portal.portalId)).replace(
      new Map([['existing', [{ from: 0, to: 86_400_000, amount: 7 }]]]),
    );
  });
  afterAll(async () => {
    redis.disconnect();
    await deleteKeys(TEST_REDIS_URL, prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('parses any text into periods or throws only its own clear validation error', () => {
    fc.assert(
      fc.property(fc.oneof(validCsv, brokenCsv, anyText), (text) => {
        try {
          const parsed = parseSpendCsv(text);
          for (const periods of parsed.values())
            for (const period of periods) expect(period.to).toBeGreaterThan(period.from);
        } catch (error) {
          expect(error).toBeInstanceOf(BadRequestError);
          expect((error as Error).message).toMatch(
            /^(Nothing imported|Not a readable CSV file|The file has no spend rows)/,
          );
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts every valid file, and refuses every file with a broken line', () => {
    fc.assert(
      fc.property(validCsv, (text) => void expect(parseSpendCsv(text).size).toBeGreaterThan(0)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(brokenCsv, (text) => void expect(() => parseSpendCsv(text)).toThrow(BadRequestError)),
      { numRuns: 300 },
    );
  });

  it('imports all of a file or nothing of it, and never touches a campaign the file does not name', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(validCsv, brokenCsv, anyText), async (text) => {
        const file = join(dir, `spend-${files++}.csv`);
        writeFileSync(file, text);
        const before = await stored();
        let expected: Map<string, unknown> | undefined;
        try {
          expected = parseSpendCsv(text);
        } catch {
          expected = undefined;
        }
        if (expected) await expect(importSpend(redis, prefix, file)).resolves.toMatch(/^imported /);
        else await expect(importSpend(redis, prefix, file)).rejects.toBeInstanceOf(BadRequestError);
        const after = await stored();
        expect(after).toEqual(new Map([...before, ...(expected ?? new Map())]));
      }),
      { numRuns: 200 },
    );
  });
});

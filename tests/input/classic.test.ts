import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLASSIC_FIELDS, isClassicLine, parseClassicLine } from '../../src/input/classic.js';
import { isRejection, type ParseResult, type ParsedRecord } from '../../src/input/record.js';
import { ZoneClock } from '../../src/time/zone.js';

const clock = new ZoneClock('Europe/Amsterdam');
const sample = readFileSync(new URL('../../fixtures/samples/si-classic-access.log', import.meta.url), 'utf8');
const lines = sample.split('\n').filter((line) => line !== '');
const first = lines[0]!;

function parsed(text: string): ParsedRecord {
  const result = parseClassicLine(text, clock);
  if (isRejection(result)) throw new Error(`unexpected rejection: ${result.reason}`);
  return result;
}

function reasonOf(text: string): string {
  const result: ParseResult = parseClassicLine(text, clock);
  if (!isRejection(result)) throw new Error('expected a rejection');
  return result.reason;
}

/** Replaces exactly one occurrence, so a test cannot silently edit nothing. */
function replaceOnce(text: string, search: string, replacement: string): string {
  const at = text.indexOf(search);
  if (at < 0) throw new Error(`'${search}' not in line`);
  return text.slice(0, at) + replacement + text.slice(at + search.length);
}

describe('parseClassicLine on the sample file', () => {
  it('holds five lines, each recognised as SI Classic', () => {
    expect(lines).toHaveLength(5);
    expect(lines.map(isClassicLine)).toEqual([true, true, true, true, true]);
  });

  const expected: ParsedRecord[] = [
    {
      time: Date.parse('2026-03-02T07:00:12Z'),
      user: '0057_gsd_voorbeeld_mb',
      userName: 'mira bakker',
      roles: ['BASIS_GSD', 'FR0999001', 'R1'],
      organisation: 'voorbeeld',
      chosenMunicipality: null,
      page: 'bijstandsregelingen',
      searchKeys: { Burgerservicenr: '111222333' },
      escapeReason: null,
    },
    {
      time: Date.parse('2026-03-02T18:41:02Z'),
      user: '0095_gsd_voorbeeld_tm',
      userName: 'vries, thijs de',
      roles: ['BASIS_GSD', 'FR0999002', 'R1'],
      organisation: 'voorbeeld',
      chosenMunicipality: null,
      page: 'gba-zoek',
      searchKeys: { Burgerservicenr: '249566758' },
      escapeReason: null,
    },
    {
      time: Date.parse('2026-03-03T09:15:43Z'),
      user: '0111_wgs_voorbeeld_mv',
      userName: 'mo vos',
      roles: ['BASIS_GSD', 'FR0999003', 'R1'],
      organisation: 'voorbeeld',
      chosenMunicipality: null,
      page: 'gba-zoek',
      searchKeys: { Postcode: '5346AB', Huisnummer: '4' },
      escapeReason: null,
    },
    {
      time: Date.parse('2026-03-07T10:02:08Z'),
      user: '0201_gsd_samenwerking_jk',
      userName: 'jan "de schout" kramer',
      roles: ['BASIS_GSD', 'FR0999001', 'R1'],
      organisation: 'samenwerking',
      chosenMunicipality: 'Castricum',
      page: 'uwv-polis',
      searchKeys: { Burgerservicenr: '683938861' },
      escapeReason: null,
    },
    {
      time: Date.parse('2026-03-29T01:30:00Z'),
      user: '0057_gsd_voorbeeld_mb',
      userName: 'mira bakker',
      roles: ['BASIS_GSD', 'FR0999001', 'R1'],
      organisation: 'voorbeeld',
      chosenMunicipality: null,
      page: 'rdw-zoek',
      searchKeys: { Kenteken: '12ABC3' },
      escapeReason: null,
    },
  ];

  it.each(expected.map((record, index) => [index + 1, record] as const))('line %i has the exact canonical fields', (number, record) => {
    expect(parsed(lines[number - 1]!)).toStrictEqual(record);
  });

  it('takes the time from the start field (5), not from the syslog prefix', () => {
    // line 2: prefix 19:41:03, start 19:41:02 (winter time, +01:00)
    expect(new Date(parsed(lines[1]!).time).toISOString()).toBe('2026-03-02T18:41:02.000Z');
  });

  it('reads 03:30 on 29 March 2026 (just after the clocks went forward) as summer time', () => {
    expect(new Date(parsed(lines[4]!).time).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('reads a time in the skipped hour (02:30 on 29 March 2026) as 01:30Z, as zone.ts documents', () => {
    const skipped = lines[4]!.replaceAll('2026-03-29 03:30:00', '2026-03-29 02:30:00');
    expect(new Date(parsed(skipped).time).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });
});

describe('parseClassicLine rejections', () => {
  const table: Array<[string, string, RegExp]> = [
    ['truncated (34 fields)', first.slice(0, -2), /expected 36 fields, found 34 \(truncated line\?\)/],
    ['cut inside the URL field', first.slice(0, first.indexOf('format=html')), /unterminated quoted field 29/],
    ['one extra field', `${first},`, /expected 36 fields, found 37$/],
    ['unterminated quote', replaceOnce(first, '"gemeente scherm",,', '"gemeente scherm,,'), /unterminated quoted field 33/],
    ['quote inside an unquoted field', replaceOnce(first, ',428,', ',4"28,'), /quote inside unquoted field 7/],
    ['junk after a closing quote', replaceOnce(first, '"GET",', '"GET"x,'), /unexpected character after quoted field 2/],
    ['space after a closing quote', replaceOnce(first, '"GET",', '"GET" ,'), /unexpected character after quoted field 2/],
    ['impossible date 2026-02-30', replaceOnce(first, '"2026-03-02 08:00:12"', '"2026-02-30 08:00:12"'), /impossible date or time '2026-02-30 08:00:12'/],
    ['impossible hour 25:00', replaceOnce(first, '"2026-03-02 08:00:12"', '"2026-03-02 25:00:12"'), /impossible date or time '2026-03-02 25:00:12'/],
    ['minute 60', replaceOnce(first, '"2026-03-02 08:00:12"', '"2026-03-02 08:60:12"'), /impossible date or time '2026-03-02 08:60:12'/],
    ['start time in another shape', replaceOnce(first, '"2026-03-02 08:00:12"', '"2026-03-02T08:00:12"'), /start time '2026-03-02T08:00:12' is not YYYY-MM-DD HH:MM:SS/],
    ['missing prefix', first.slice('info3 20260302-08:00:12 '.length), /no "info… YYYYMMDD-HH:MM:SS" prefix/],
    ['prefix without its time', replaceOnce(first, 'info3 20260302-08:00:12 ', 'info3 20260302 '), /not an SI Classic line/],
    ['empty login (bare)', replaceOnce(first, '"0057_gsd_voorbeeld_mb"', ''), /login \(field 15\) is empty/],
    ['empty login (quoted)', replaceOnce(first, '"0057_gsd_voorbeeld_mb"', '""'), /login \(field 15\) is empty/],
  ];

  it.each(table)('%s', (_name, text, reason) => {
    expect(reasonOf(text)).toMatch(reason);
  });

  it('the unedited first line parses, so each rejection above is caused by its edit', () => {
    expect(parsed(first).user).toBe('0057_gsd_voorbeeld_mb');
    expect(CLASSIC_FIELDS).toBe(36);
  });
});

describe('parseClassicLine details', () => {
  it('skips screen labels and takes the first other value of fields 30–35 as the chosen municipality', () => {
    const text = replaceOnce(first, ',,,,"gemeente scherm",,', ',,"Scherm",,"GEMEENTE SCHERM","Heiloo","Bergen"');
    expect(parsed(text).chosenMunicipality).toBe('Heiloo');
  });

  it('keeps empty optional fields as null and an empty role list as []', () => {
    const text = replaceOnce(replaceOnce(replaceOnce(first, '"mira bakker","gsd","voorbeeld"', ',"gsd",'), '"BASIS_GSD,FR0999001,R1"', ''), '"bijstandsregelingen"', '');
    const record = parsed(text);
    expect([record.userName, record.organisation, record.page, record.roles]).toEqual([null, null, null, []]);
  });
});

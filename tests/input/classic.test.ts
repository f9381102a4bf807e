import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLASSIC_FIELDS, classicParser, isClassicLine } from '../../src/input/classic.js';
import { forEachLine } from '../../src/input/lines.js';
import { Interner, type ParseContext } from '../../src/input/record.js';
import type { Lookup } from '../../src/rule-api/types.js';
import { ZoneClock } from '../../src/time/zone.js';
import { lookupOf, parseLine, reasonOf } from '../support/lookups.js';

const FILE = 'logs/si-classic-access.log';
const SOURCE = 2;
const context = (): ParseContext => ({ clock: new ZoneClock('Europe/Amsterdam'), file: FILE, source: SOURCE, intern: new Interner() });
const parse = classicParser(context());

const bytes = readFileSync(new URL('../../fixtures/samples/si-classic-access.log', import.meta.url));
const lines = bytes
  .toString('utf8')
  .split('\n')
  .filter((line) => line !== '');
const first = lines[0]!;

function parsed(text: string, line = 1): Lookup {
  return lookupOf(parseLine(parse, text, line));
}

function rejection(text: string): string {
  return reasonOf(parseLine(parse, text));
}

/** Replaces exactly one occurrence, so a test cannot silently edit nothing. */
function replaceOnce(text: string, search: string, replacement: string): string {
  const at = text.indexOf(search);
  if (at < 0) throw new Error(`'${search}' not in line`);
  return text.slice(0, at) + replacement + text.slice(at + search.length);
}

describe('classicParser on the sample file', () => {
  it('holds five lines, each recognised as SI Classic', () => {
    expect(lines).toHaveLength(5);
    expect(lines.map(isClassicLine)).toEqual([true, true, true, true, true]);
  });

  const origin = { layout: 'classic', file: FILE, source: SOURCE } as const;
  const expected: Lookup[] = [
    {
      time: Date.parse('2026-03-02T07:00:12Z'),
      user: '0057_gsd_voorbeeld_mb',
      userName: 'mira bakker',
      roles: ['BASIS_GSD', 'FR0999001', 'R1'],
      organisation: 'voorbeeld',
      chosenMunicipality: null,
      page: 'bijstandsregelingen',
      searchKeys: { Burgerservicenr: '111222333' },
      bsn: '111222333',
      escapeReason: null,
      session: '4df52740e98d3e20c75418da815b5189',
      ...origin,
      line: 1,
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
      bsn: '249566758',
      escapeReason: null,
      session: '5de267020053d326fc284bfd458bfbaf',
      ...origin,
      line: 2,
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
      bsn: null,
      escapeReason: null,
      session: '86b73f35fc6f72ca0d0ce5b096c22a16',
      ...origin,
      line: 3,
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
      bsn: '683938861',
      escapeReason: null,
      session: '0c1d2e3f405162738495a6b7c8d9e0f1',
      ...origin,
      line: 4,
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
      bsn: null,
      escapeReason: null,
      session: '77aa88bb99cc00dd11ee22ff33445566',
      ...origin,
      line: 5,
    },
  ];

  it.each(expected.map((record, index) => [index + 1, record] as const))('line %i has the exact canonical fields', (number, record) => {
    expect(parsed(lines[number - 1]!, number)).toStrictEqual(record);
  });

  it('gives the same lookups when the whole file goes through forEachLine, as the engine reads it', () => {
    const chunkParser = classicParser(context());
    const lookups: Lookup[] = [];
    const count = forEachLine(bytes, 1, true, {
      record: (text, start, end, line, ascii) => lookups.push(lookupOf(chunkParser(text, start, end, line, ascii))),
      blank: () => {
        throw new Error('the sample has no blank lines');
      },
      reject: (line, reason) => {
        throw new Error(`sample line ${line} rejected: ${reason}`);
      },
    });
    expect(count).toBe(5);
    expect(lookups).toStrictEqual(expected);
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

  it('shares one frozen role list among the lookups of a parser, and parses search keys once', () => {
    const shared = classicParser(context());
    const [one, two, , four, five] = lines.map((line, index) => shared(line, 0, line.length, index + 1) as Lookup);
    expect(one!.roles).toBe(five!.roles);
    expect(one!.roles).toBe(four!.roles);
    expect(two!.roles).not.toBe(one!.roles);
    expect(Object.isFrozen(one!.roles)).toBe(true);
    expect(one!.searchKeys).toBe(one!.searchKeys);
  });
});

describe('classicParser rejections', () => {
  const table: Array<[string, string, string]> = [
    ['truncated (34 fields)', first.slice(0, -2), 'expected 36 fields, found 34 (truncated line?)'],
    ['cut inside the URL field', first.slice(0, first.indexOf('format=html')), 'unterminated quoted field 29'],
    ['one extra field', `${first},`, 'expected 36 fields, found more'],
    ['many extra fields', `${first}${',"x"'.repeat(40)}`, 'expected 36 fields, found more'],
    ['unterminated quote', replaceOnce(first, '"gemeente scherm",,', '"gemeente scherm,,'), 'unterminated quoted field 33'],
    ['quote inside an unquoted field', replaceOnce(first, ',428,', ',4"28,'), 'quote inside unquoted field 7'],
    ['junk after a closing quote', replaceOnce(first, '"GET",', '"GET"x,'), 'unexpected character after quoted field 2'],
    ['space after a closing quote', replaceOnce(first, '"GET",', '"GET" ,'), 'unexpected character after quoted field 2'],
    ['impossible date 2026-02-30', replaceOnce(first, '"2026-03-02 08:00:12"', '"2026-02-30 08:00:12"'), "impossible or malformed start time '2026-02-30 08:00:12'"],
    ['impossible hour 25:00', replaceOnce(first, '"2026-03-02 08:00:12"', '"2026-03-02 25:00:12"'), "impossible or malformed start time '2026-03-02 25:00:12'"],
    ['minute 60', replaceOnce(first, '"2026-03-02 08:00:12"', '"2026-03-02 08:60:12"'), "impossible or malformed start time '2026-03-02 08:60:12'"],
    ['start time in another shape', replaceOnce(first, '"2026-03-02 08:00:12"', '"2026-03-02T08:00:12"'), "impossible or malformed start time '2026-03-02T08:00:12'"],
    ['start time with a letter for a digit', replaceOnce(first, '"2026-03-02 08:00:12"', '"2026-03-0x 08:00:12"'), "impossible or malformed start time '2026-03-0x 08:00:12'"],
    ['start time too long', replaceOnce(first, '"2026-03-02 08:00:12"', '"2026-03-02 08:00:12.5"'), "impossible or malformed start time '2026-03-02 08:00:12.5'"],
    ['empty start time', replaceOnce(first, '"2026-03-02 08:00:12"', '""'), "impossible or malformed start time ''"],
    ['missing prefix', first.slice('info3 20260302-08:00:12 '.length), 'not an SI Classic line (no "info… YYYYMMDD-HH:MM:SS" prefix)'],
    ['prefix without its time', replaceOnce(first, 'info3 20260302-08:00:12 ', 'info3 20260302 '), 'not an SI Classic line (no "info… YYYYMMDD-HH:MM:SS" prefix)'],
    ['prefix without the space after it', replaceOnce(first, 'info3 20260302-08:00:12 ', 'info3 20260302-08:00:12'), 'not an SI Classic line (no "info… YYYYMMDD-HH:MM:SS" prefix)'],
    ['prefix with a letter in its time', replaceOnce(first, 'info3 20260302-08:00:12 ', 'info3 20260302-08:0x:12 '), 'not an SI Classic line (no "info… YYYYMMDD-HH:MM:SS" prefix)'],
    ['a lone prefix word', 'info3', 'not an SI Classic line (no "info… YYYYMMDD-HH:MM:SS" prefix)'],
    ['empty login (bare)', replaceOnce(first, '"0057_gsd_voorbeeld_mb"', ''), 'login (field 15) is empty'],
    ['empty login (quoted)', replaceOnce(first, '"0057_gsd_voorbeeld_mb"', '""'), 'login (field 15) is empty'],
  ];

  it.each(table)('%s', (_name, text, reason) => {
    expect(rejection(text)).toBe(reason);
  });

  it('agrees with isClassicLine on the prefix', () => {
    for (const [, text, reason] of table) expect(isClassicLine(text), text).toBe(!reason.startsWith('not an SI Classic line'));
  });

  it('the unedited first line parses, so each rejection above is caused by its edit', () => {
    expect(parsed(first).user).toBe('0057_gsd_voorbeeld_mb');
    expect(CLASSIC_FIELDS).toBe(36);
  });
});

describe('classicParser details', () => {
  it('skips screen labels and takes the first other value of fields 30–35 as the chosen municipality', () => {
    const text = replaceOnce(first, ',,,,"gemeente scherm",,', ',,"Scherm",,"GEMEENTE SCHERM","Heiloo","Bergen"');
    expect(parsed(text).chosenMunicipality).toBe('Heiloo');
  });

  it('unescapes doubled quotes in a chosen municipality', () => {
    const text = replaceOnce(first, ',,,,"gemeente scherm",,', ',,,,"gemeente scherm","""s-Hertogenbosch""",');
    expect(parsed(text).chosenMunicipality).toBe('"s-Hertogenbosch"');
  });

  it('keeps empty optional fields as null and an empty role list as []', () => {
    const text = replaceOnce(replaceOnce(replaceOnce(first, '"mira bakker","gsd","voorbeeld"', ',"gsd",'), '"BASIS_GSD,FR0999001,R1"', ''), '"bijstandsregelingen"', '');
    const record = parsed(text);
    expect([record.userName, record.organisation, record.page, record.roles]).toEqual([null, null, null, []]);
  });

  it('reads the search keys and the BSN from field 27: composite keys, eight digits, no BSN', () => {
    const withKeys = (keys: string) => parsed(replaceOnce(first, '"Burgerservicenr=111222333"', `"${keys}"`));
    expect(withKeys('Burgerservicenr=12345674')).toMatchObject({ bsn: '012345674', searchKeys: { Burgerservicenr: '12345674' } });
    expect(withKeys('Postcode=5346AB&Burgerservicenr=111222333')).toMatchObject({
      bsn: '111222333',
      searchKeys: { Postcode: '5346AB', Burgerservicenr: '111222333' },
    });
    expect(withKeys('Burgerservicenr=11122233X')).toMatchObject({ bsn: null, searchKeys: { Burgerservicenr: '11122233X' } });
    expect(withKeys('')).toMatchObject({ bsn: null, searchKeys: {} });
    // Doubled quotes are unescaped before the keys are read; a name that is not ASCII comes out right.
    expect(withKeys('Geslachtsnaam=""Çelik""&Burgerservicenr=111222333')).toMatchObject({
      bsn: '111222333',
      searchKeys: { Geslachtsnaam: '"Çelik"', Burgerservicenr: '111222333' },
    });
    expect(withKeys('Burgerservicenr=""111222333""')).toMatchObject({ bsn: null, searchKeys: { Burgerservicenr: '"111222333"' } });
  });

  it('accepts the prefix with any number of digits after "info"', () => {
    for (const prefix of ['info ', 'info3 ', 'info12 ']) {
      const text = replaceOnce(first, 'info3 ', prefix);
      expect(isClassicLine(text)).toBe(true);
      expect(parsed(text).user).toBe('0057_gsd_voorbeeld_mb');
    }
  });

  it('passes the line number through and takes file and source from the context', () => {
    const other = classicParser({ clock: new ZoneClock('UTC'), file: '-', source: 7, intern: new Interner() });
    expect(lookupOf(parseLine(other, first, 123_456))).toMatchObject({ file: '-', source: 7, line: 123_456, layout: 'classic', time: Date.parse('2026-03-02T08:00:12Z') });
  });
});

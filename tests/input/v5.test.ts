import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { forEachLine } from '../../src/input/lines.js';
import { Interner, bsnOf, type ParseContext } from '../../src/input/record.js';
import { V5_FIELDS, isV5Line, v5Parser } from '../../src/input/v5.js';
import type { Lookup } from '../../src/rule-api/types.js';
import { ZoneClock } from '../../src/time/zone.js';
import { lookupOf, parseLine, reasonOf } from '../support/lookups.js';

const FILE = 'logs/raadpleegpersoon_v5.log';
const SOURCE = 1;
const context = (): ParseContext => ({ clock: new ZoneClock('Europe/Amsterdam'), file: FILE, source: SOURCE, intern: new Interner() });
const parse = v5Parser(context());
const bytes = readFileSync(new URL('../../fixtures/samples/raadpleegpersoon_v5.log', import.meta.url));

/** The sample's lines as the engine hands them to the parser (without CR), and the lookups it makes of them. */
const lines: string[] = [];
const sampleLookups: Lookup[] = [];
const sampleParser = v5Parser(context());
const sampleCount = forEachLine(bytes, 1, true, {
  record: (text, start, end, line, ascii) => {
    lines.push(text.slice(start, end));
    sampleLookups.push(lookupOf(sampleParser(text, start, end, line, ascii)));
  },
  blank: () => {},
  reject: (line, reason) => {
    throw new Error(`sample line ${line} rejected: ${reason}`);
  },
});
const first = lines[0]!;

function parsed(text: string, line = 1): Lookup {
  return lookupOf(parseLine(parse, text, line));
}

function rejection(text: string): string {
  return reasonOf(parseLine(parse, text));
}

function withField(text: string, index: number, value: string): string {
  const fields = text.split(',');
  expect(fields).toHaveLength(V5_FIELDS);
  fields[index] = value;
  return fields.join(',');
}

describe('v5Parser on the sample file', () => {
  it('is a CRLF file of four v5 lines, handed over without CR', () => {
    expect(bytes.toString('utf8').split('\r\n')).toHaveLength(5);
    expect(sampleCount).toBe(4);
    expect(lines).toHaveLength(4);
    expect(lines.some((line) => line.includes('\r'))).toBe(false);
    expect(lines.map(isV5Line)).toEqual([true, true, true, true]);
  });

  const origin = { layout: 'v5', file: FILE, source: SOURCE } as const;
  const expected: Lookup[] = [
    {
      time: Date.parse('2026-04-01T06:00:09.949Z'),
      user: '0123_bz_voorbeeld_uw',
      userName: 'Ümit de Wit',
      roles: ['BASIS_GSD', 'FR0999004', 'R1'],
      organisation: 'Gemeente Voorbeeld',
      chosenMunicipality: null,
      page: null,
      searchKeys: { bsn: '319072356' },
      bsn: '319072356',
      escapeReason: null,
      session: null,
      ...origin,
      line: 1,
    },
    {
      time: Date.parse('2026-04-01T06:01:24.822Z'),
      user: '0118_wgs_voorbeeld_as',
      userName: 'Anouk Smit',
      roles: ['BASIS_GSD', 'FR0999003', 'R1'],
      organisation: 'Gemeente Voorbeeld',
      chosenMunicipality: 'Renswoude',
      page: null,
      searchKeys: {},
      bsn: null,
      escapeReason: null,
      session: null,
      ...origin,
      line: 2,
    },
    {
      time: Date.parse('2026-04-02T12:12:02.502Z'),
      user: '0070_gsd_voorbeeld_ky',
      userName: 'Karin Yılmaz',
      roles: ['BASIS_GSD', 'FR0999001', 'R1'],
      organisation: 'Gemeente Voorbeeld',
      chosenMunicipality: null,
      page: null,
      searchKeys: { bsn: '111111110' },
      bsn: '111111110',
      escapeReason: 'Anders',
      session: null,
      ...origin,
      line: 3,
    },
    {
      time: Date.parse('2026-04-06T08:14:03.000Z'),
      user: '0070_gsd_voorbeeld_ky',
      userName: 'Karin Yılmaz',
      roles: ['BASIS_GSD', 'FR0999001', 'R1'],
      organisation: 'Gemeente Voorbeeld',
      chosenMunicipality: null,
      page: null,
      searchKeys: { bsn: '768510338' },
      bsn: '768510338',
      escapeReason: 'Nieuwe klant of aanvraag',
      session: null,
      ...origin,
      line: 4,
    },
  ];

  it.each(expected.map((record, index) => [index + 1, record] as const))('line %i has the exact canonical fields', (number, record) => {
    expect(parsed(lines[number - 1]!, number)).toStrictEqual(record);
  });

  it('gives the same lookups straight from the chunk, as the engine reads it', () => {
    expect(sampleLookups).toStrictEqual(expected);
  });

  it('gives the BSN of each line, and none for the empty search key', () => {
    expect(sampleLookups.map((lookup) => lookup.bsn)).toEqual(['319072356', null, '111111110', '768510338']);
    expect(sampleLookups.map((lookup) => bsnOf(lookup.searchKeys))).toEqual(['319072356', null, '111111110', '768510338']);
  });
});

describe('v5Parser details', () => {
  it('URL-decodes the organisation, keeping a malformed escape as it is', () => {
    expect(parsed(withField(first, 12, 'Gemeente+%27s-Hertogenbosch')).organisation).toBe("Gemeente 's-Hertogenbosch");
    expect(parsed(withField(first, 12, 'Dummy+Gemeente+Veenendaal')).organisation).toBe('Dummy Gemeente Veenendaal');
    expect(parsed(withField(first, 12, 'Gemeente+100%+zeker')).organisation).toBe('Gemeente 100% zeker');
    expect(parsed(withField(first, 12, 'Gemeente+S%C3%BAdwest-Frysl%C3%A2n')).organisation).toBe('Gemeente Súdwest-Fryslân');
    expect(parsed(withField(first, 12, '')).organisation).toBeNull();
  });

  it('reads field 9 as the chosen municipality only when it is not a 20-digit OIN', () => {
    expect(parsed(withField(first, 9, '00000001999000000000')).chosenMunicipality).toBeNull();
    expect(parsed(withField(first, 9, '0000000199900000000')).chosenMunicipality).toBe('0000000199900000000');
    expect(parsed(withField(first, 9, '000000019990000000000')).chosenMunicipality).toBe('000000019990000000000');
    expect(parsed(withField(first, 9, '0000000199900000000x')).chosenMunicipality).toBe('0000000199900000000x');
    expect(parsed(withField(first, 9, '')).chosenMunicipality).toBeNull();
    expect(parsed(withField(first, 9, 'Renswoude')).chosenMunicipality).toBe('Renswoude');
  });

  it('accepts a time without or with shorter milliseconds', () => {
    expect(parsed(withField(first, 4, '08:00:09')).time).toBe(Date.parse('2026-04-01T06:00:09.000Z'));
    expect(parsed(withField(first, 4, '08:00:09.9')).time).toBe(Date.parse('2026-04-01T06:00:09.900Z'));
    expect(parsed(withField(first, 4, '08:00:09.95')).time).toBe(Date.parse('2026-04-01T06:00:09.950Z'));
    expect(parsed(withField(first, 4, '08:00:09.005')).time).toBe(Date.parse('2026-04-01T06:00:09.005Z'));
  });

  it('reads winter dates with +01:00', () => {
    expect(parsed(withField(first, 3, '2026-01-15')).time).toBe(Date.parse('2026-01-15T07:00:09.949Z'));
  });

  it('normalises an eight-digit BSN, and finds it among other search keys', () => {
    const eight = parsed(withField(first, 11, 'bsn=12345674'));
    expect(eight.bsn).toBe('012345674');
    expect(bsnOf(eight.searchKeys)).toBe('012345674');
    expect(parsed(withField(first, 11, 'geslachtsnaam=Jansen&bsn=111222333'))).toMatchObject({
      bsn: '111222333',
      searchKeys: { geslachtsnaam: 'Jansen', bsn: '111222333' },
    });
    expect(parsed(withField(first, 11, 'bsn=1112223334')).bsn).toBeNull();
  });

  it('keeps an empty escape reason as null and empty name and roles as null and []', () => {
    const record = parsed(withField(withField(withField(first, 15, ''), 6, ''), 7, ''));
    expect([record.escapeReason, record.userName, record.roles]).toEqual([null, null, []]);
  });
});

describe('v5Parser rejections', () => {
  const table: Array<[string, string, string]> = [
    ['15 fields', first.slice(0, first.lastIndexOf(',')), 'expected 16 fields, found 15 (truncated line?)'],
    ['17 fields', `${first},extra`, 'expected 16 fields, found 17'],
    ['40 fields', `${first}${',x'.repeat(24)}`, 'expected 16 fields, found 40'],
    ['record version 4', withField(first, 0, '4'), "record version '4' is not 5"],
    ['record version 55', withField(first, 0, '55'), "record version '55' is not 5"],
    ['empty record version', withField(first, 0, ''), "record version '' is not 5"],
    ['impossible date 2026-04-31', withField(first, 3, '2026-04-31'), "impossible or malformed date/time '2026-04-31 08:00:09.949'"],
    ['29 February in a common year', withField(first, 3, '2026-02-29'), "impossible or malformed date/time '2026-02-29 08:00:09.949'"],
    ['hour 24', withField(first, 4, '24:00:00.000'), "impossible or malformed date/time '2026-04-01 24:00:00.000'"],
    ['seconds 60', withField(first, 4, '08:00:60.000'), "impossible or malformed date/time '2026-04-01 08:00:60.000'"],
    ['one-digit hour', withField(first, 4, '8:00:09.949'), "impossible or malformed date/time '2026-04-01 8:00:09.949'"],
    ['four-digit fraction', withField(first, 4, '08:00:09.9490'), "impossible or malformed date/time '2026-04-01 08:00:09.9490'"],
    ['a dot without fraction', withField(first, 4, '08:00:09.'), "impossible or malformed date/time '2026-04-01 08:00:09.'"],
    ['a comma-less fraction mark', withField(first, 4, '08:00:09x949'), "impossible or malformed date/time '2026-04-01 08:00:09x949'"],
    ['a letter in the fraction', withField(first, 4, '08:00:09.9x9'), "impossible or malformed date/time '2026-04-01 08:00:09.9x9'"],
    ['Dutch date order', withField(first, 3, '01-04-2026'), "impossible or malformed date/time '01-04-2026 08:00:09.949'"],
    ['slashes in the date', withField(first, 3, '2026/04/01'), "impossible or malformed date/time '2026/04/01 08:00:09.949'"],
    ['empty login', withField(first, 5, ''), 'login (field 5) is empty'],
  ];

  it.each(table)('%s', (_name, text, reason) => {
    expect(rejection(text)).toBe(reason);
  });
});

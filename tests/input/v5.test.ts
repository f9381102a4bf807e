import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { forEachLine } from '../../src/input/lines.js';
import { bsnOf, isRejection, toLookup, type ParsedRecord } from '../../src/input/record.js';
import { V5_FIELDS, isV5Line, parseV5Line } from '../../src/input/v5.js';
import { ZoneClock } from '../../src/time/zone.js';

const clock = new ZoneClock('Europe/Amsterdam');
const bytes = readFileSync(new URL('../../fixtures/samples/raadpleegpersoon_v5.log', import.meta.url));

/** The sample's lines as the engine hands them to the parser: decoded, without CR. */
const lines: string[] = [];
forEachLine(bytes, 1, true, {
  line: (text) => lines.push(text),
  blank: () => {},
  reject: (line, reason) => {
    throw new Error(`sample line ${line} rejected: ${reason}`);
  },
});
const first = lines[0]!;

function parsed(text: string): ParsedRecord {
  const result = parseV5Line(text, clock);
  if (isRejection(result)) throw new Error(`unexpected rejection: ${result.reason}`);
  return result;
}

function reasonOf(text: string): string {
  const result = parseV5Line(text, clock);
  if (!isRejection(result)) throw new Error('expected a rejection');
  return result.reason;
}

function withField(text: string, index: number, value: string): string {
  const fields = text.split(',');
  expect(fields).toHaveLength(V5_FIELDS);
  fields[index] = value;
  return fields.join(',');
}

describe('parseV5Line on the sample file', () => {
  it('is a CRLF file of four v5 lines, handed over without CR', () => {
    expect(bytes.toString('utf8').split('\r\n')).toHaveLength(5);
    expect(lines).toHaveLength(4);
    expect(lines.some((line) => line.includes('\r'))).toBe(false);
    expect(lines.map(isV5Line)).toEqual([true, true, true, true]);
  });

  const expected: ParsedRecord[] = [
    {
      time: Date.parse('2026-04-01T06:00:09.949Z'),
      user: '0123_bz_voorbeeld_uw',
      userName: 'Ümit de Wit',
      roles: ['BASIS_GSD', 'FR0999004', 'R1'],
      organisation: 'Gemeente Voorbeeld',
      chosenMunicipality: null,
      page: null,
      searchKeys: { bsn: '319072356' },
      escapeReason: null,
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
      escapeReason: null,
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
      escapeReason: 'Anders',
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
      escapeReason: 'Nieuwe klant of aanvraag',
    },
  ];

  it.each(expected.map((record, index) => [index + 1, record] as const))('line %i has the exact canonical fields', (number, record) => {
    expect(parsed(lines[number - 1]!)).toStrictEqual(record);
  });

  it('gives the BSN of each line, and none for the empty search key', () => {
    const bsns = lines.map((line) => toLookup(parsed(line), { layout: 'v5', file: 'v5.log', source: 0, line: 1 }).bsn);
    expect(bsns).toEqual(['319072356', null, '111111110', '768510338']);
  });
});

describe('parseV5Line details', () => {
  it('URL-decodes the organisation, keeping a malformed escape as it is', () => {
    expect(parsed(withField(first, 12, 'Gemeente+%27s-Hertogenbosch')).organisation).toBe("Gemeente 's-Hertogenbosch");
    expect(parsed(withField(first, 12, 'Dummy+Gemeente+Veenendaal')).organisation).toBe('Dummy Gemeente Veenendaal');
    expect(parsed(withField(first, 12, 'Gemeente+100%+zeker')).organisation).toBe('Gemeente 100% zeker');
    expect(parsed(withField(first, 12, '')).organisation).toBeNull();
  });

  it('reads field 9 as the chosen municipality only when it is not a 20-digit OIN', () => {
    expect(parsed(withField(first, 9, '00000001999000000000')).chosenMunicipality).toBeNull();
    expect(parsed(withField(first, 9, '0000000199900000000')).chosenMunicipality).toBe('0000000199900000000');
    expect(parsed(withField(first, 9, '')).chosenMunicipality).toBeNull();
    expect(parsed(withField(first, 9, 'Renswoude')).chosenMunicipality).toBe('Renswoude');
  });

  it('accepts a time without or with shorter milliseconds', () => {
    expect(parsed(withField(first, 4, '08:00:09')).time).toBe(Date.parse('2026-04-01T06:00:09.000Z'));
    expect(parsed(withField(first, 4, '08:00:09.9')).time).toBe(Date.parse('2026-04-01T06:00:09.900Z'));
    expect(parsed(withField(first, 4, '08:00:09.95')).time).toBe(Date.parse('2026-04-01T06:00:09.950Z'));
  });

  it('reads winter dates with +01:00', () => {
    expect(parsed(withField(first, 3, '2026-01-15')).time).toBe(Date.parse('2026-01-15T07:00:09.949Z'));
  });

  it('normalises an eight-digit BSN', () => {
    expect(bsnOf(parsed(withField(first, 11, 'bsn=12345674')).searchKeys)).toBe('012345674');
  });
});

describe('parseV5Line rejections', () => {
  const table: Array<[string, string, RegExp]> = [
    ['15 fields', first.slice(0, first.lastIndexOf(',')), /expected 16 fields, found 15 \(truncated line\?\)/],
    ['17 fields', `${first},extra`, /expected 16 fields, found 17$/],
    ['record version 4', withField(first, 0, '4'), /record version '4' is not 5/],
    ['record version 55', withField(first, 0, '55'), /record version '55' is not 5/],
    ['impossible date 2026-04-31', withField(first, 3, '2026-04-31'), /impossible date or time '2026-04-31 08:00:09.949'/],
    ['29 February in a common year', withField(first, 3, '2026-02-29'), /impossible date or time '2026-02-29 08:00:09.949'/],
    ['hour 24', withField(first, 4, '24:00:00.000'), /impossible date or time '2026-04-01 24:00:00.000'/],
    ['seconds 60', withField(first, 4, '08:00:60.000'), /impossible date or time '2026-04-01 08:00:60.000'/],
    ['one-digit hour', withField(first, 4, '8:00:09.949'), /date\/time '2026-04-01 8:00:09.949' is not YYYY-MM-DD HH:MM:SS.mmm/],
    ['four-digit fraction', withField(first, 4, '08:00:09.9490'), /date\/time '2026-04-01 08:00:09.9490' is not YYYY-MM-DD HH:MM:SS.mmm/],
    ['Dutch date order', withField(first, 3, '01-04-2026'), /date\/time '01-04-2026 08:00:09.949' is not YYYY-MM-DD HH:MM:SS.mmm/],
    ['empty login', withField(first, 5, ''), /login \(field 5\) is empty/],
  ];

  it.each(table)('%s', (_name, text, reason) => {
    expect(reasonOf(text)).toMatch(reason);
  });
});

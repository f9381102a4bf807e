import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { createMappedReader, loadMapping, type Mapping, type RecordSource } from '../../src/input/mapping.js';
import { csvRecords } from '../../src/input/structured.js';
import type { Lookup } from '../../src/rule-api/types.js';
import { lookupOf, outcome, reasonOf } from '../support/lookups.js';

const root = mkdtempSync(join(tmpdir(), 'suwinet-mapping-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let files = 0;
function mappingFile(content: string): string {
  const path = join(root, `mapping-${++files}.json`);
  writeFileSync(path, content);
  return path;
}

function loadError(content: unknown): ConfigError {
  const path = mappingFile(typeof content === 'string' ? content : JSON.stringify(content));
  try {
    loadMapping(path);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message.startsWith(`mapping ${path}: `)).toBe(true);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const iso = (instant: number) => new Date(instant).toISOString();

describe('loadMapping', () => {
  it('loads a valid mapping (with a BOM, $schema and description)', () => {
    const mapping = {
      $schema: './mapping.schema.json',
      description: 'Inlezen export',
      format: 'csv',
      delimiter: ';',
      fields: { time: ['datum', 'tijd'], user: 'gebruiker', bsn: 'bsn', roles: 'rollen' },
      time: { format: 'dd-MM-yyyy HH:mm:ss', timezone: 'Europe/Amsterdam' },
    };
    expect(loadMapping(mappingFile(`\uFEFF${JSON.stringify(mapping)}`))).toEqual(mapping);
  });

  it('names an unknown key in fields', () => {
    const error = loadError({ fields: { time: 't', user: 'u', bsn: 'b', bsnNummer: 'x' } });
    expect(error.message).toMatch(/mapping\.fields\.bsnNummer: unknown key/);
  });

  it('names an unknown top-level key and an unknown time key', () => {
    expect(loadError({ fields: { time: 't', user: 'u', bsn: 'b' }, timezone: 'UTC' }).message).toMatch(/timezone: unknown key/);
    expect(loadError({ fields: { time: 't', user: 'u', bsn: 'b' }, time: { zone: 'UTC' } }).message).toMatch(/mapping\.time\.zone: unknown key/);
  });

  it('requires fields, and time and user inside it', () => {
    expect(loadError({ format: 'csv' }).message).toMatch(/must have required property 'fields'/);
    const error = loadError({ fields: { bsn: 'b' } });
    expect(error.message).toMatch(/must have required property 'time'/);
    expect(error.message).toMatch(/must have required property 'user'/);
  });

  it('refuses a format or delimiter outside the allowed values, naming them', () => {
    expect(loadError({ format: 'xml', fields: { time: 't', user: 'u', bsn: 'b' } }).message).toMatch(/mapping\.format: must be one of "csv", "ndjson", "json"/);
    expect(loadError({ delimiter: '|', fields: { time: 't', user: 'u', bsn: 'b' } }).message).toMatch(/mapping\.delimiter: must be one of/);
  });

  it('needs bsn or searchKeys', () => {
    const error = loadError({ fields: { time: 't', user: 'u' } });
    expect(error.message).toMatch(/fields needs bsn or searchKeys$/);
    expect(loadMapping(mappingFile(JSON.stringify({ fields: { time: 't', user: 'u', searchKeys: 'k' } }))).fields.searchKeys).toBe('k');
  });

  it('refuses a file that is not JSON', () => {
    expect(loadError('{ fields: ').hint).toMatch(/the mapping is a JSON file/);
  });
});

describe('createMappedReader on JSON values', () => {
  const mapping: Mapping = {
    fields: {
      time: 'event.tijd',
      user: 'medewerker.login',
      userName: 'medewerker.naam',
      roles: 'medewerker.rollen',
      organisation: 'organisatie',
      chosenMunicipality: 'gemeente',
      page: 'dienst',
      searchKeys: 'zoek',
      bsn: 'personen[0].bsn',
      escapeReason: 'reden',
      session: 'sessie.id',
    },
  };
  const origin: RecordSource = { layout: 'ndjson', file: 'inlezen/2026-03.ndjson', source: 4 };
  const reader = createMappedReader(mapping, 'Europe/Amsterdam', false);
  const readLine = reader(origin);
  const read = (value: unknown) => readLine(value, 17);
  const accepted = lookupOf;
  const rejected = reasonOf;

  it('reads every field through dotted paths and array indexes', () => {
    const record = accepted(
      read({
        event: { tijd: '2026-03-30T19:05:00' },
        medewerker: { login: 'u0070', naam: 'Karin Yılmaz', rollen: ['BASIS_GSD', 'R1'] },
        organisatie: 'Gemeente Voorbeeld',
        gemeente: 'Renswoude',
        dienst: 'uwv-polis',
        zoek: { Postcode: '5346AB', Huisnummer: 4 },
        personen: [{ bsn: '111222333' }, { bsn: '249566758' }],
        reden: 'Anders',
        sessie: { id: 'a1b2c3' },
      }),
    );
    expect(record).toStrictEqual({
      time: Date.parse('2026-03-30T17:05:00Z'),
      user: 'u0070',
      userName: 'Karin Yılmaz',
      roles: ['BASIS_GSD', 'R1'],
      organisation: 'Gemeente Voorbeeld',
      chosenMunicipality: 'Renswoude',
      page: 'uwv-polis',
      searchKeys: { bsn: '111222333', Postcode: '5346AB', Huisnummer: '4' },
      bsn: '111222333',
      escapeReason: 'Anders',
      session: 'a1b2c3',
      layout: 'ndjson',
      file: 'inlezen/2026-03.ndjson',
      line: 17,
      source: 4,
    });
  });

  it('makes a reader per file: layout, file and source from the origin, line from the call', () => {
    const value = { event: { tijd: '2026-03-30T10:00:00Z' }, medewerker: { login: 'u1' }, personen: [{ bsn: '111222333' }] };
    const json = reader({ layout: 'json', file: 'export.json', source: 0 })(value, 3);
    const ndjson = readLine(value, 9);
    expect(accepted(json)).toMatchObject({ layout: 'json', file: 'export.json', source: 0, line: 3, bsn: '111222333', user: 'u1' });
    expect(accepted(ndjson)).toMatchObject({ layout: 'ndjson', file: 'inlezen/2026-03.ndjson', source: 4, line: 9, bsn: '111222333', user: 'u1' });
    expect({ ...accepted(json), layout: 'ndjson', file: origin.file, source: origin.source, line: 9 }).toStrictEqual(accepted(ndjson));
  });

  it('takes the BSN from the bsn column over a bsn search key', () => {
    const record = accepted(
      read({ event: { tijd: '2026-03-30T10:00:00' }, medewerker: { login: 'u1' }, zoek: 'bsn=249566758', personen: [{ bsn: '111222333' }] }),
    );
    expect(record.searchKeys).toEqual({ bsn: '111222333' });
    expect(record.bsn).toBe('111222333');
  });

  it('leaves absent optional fields null, roles empty and escapeReason null for an empty string', () => {
    const record = accepted(read({ event: { tijd: '2026-01-15 10:00' }, medewerker: { login: 'u1' }, reden: '' }));
    expect(record).toStrictEqual({
      time: Date.parse('2026-01-15T09:00:00Z'),
      user: 'u1',
      userName: null,
      roles: [],
      organisation: null,
      chosenMunicipality: null,
      page: null,
      searchKeys: {},
      bsn: null,
      escapeReason: null,
      session: null,
      layout: 'ndjson',
      file: 'inlezen/2026-03.ndjson',
      line: 17,
      source: 4,
    });
  });

  it('reads roles as an array or as an &-joined string', () => {
    const base = { event: { tijd: '2026-03-30T10:00:00Z' } };
    expect(accepted(read({ ...base, medewerker: { login: 'u', rollen: ['A', '', 'B'] } })).roles).toEqual(['A', 'B']);
    expect(accepted(read({ ...base, medewerker: { login: 'u', rollen: 'BASIS_GSD&FR0999001&R1' } })).roles).toEqual(['BASIS_GSD', 'FR0999001', 'R1']);
  });

  it('reads search keys as an object or as a k=v&k=v string, and a numeric bsn field as a normalised BSN', () => {
    const base = { event: { tijd: '2026-03-30T10:00:00Z' }, medewerker: { login: 'u' } };
    expect(accepted(read({ ...base, zoek: 'Geslachtsnaam=Jansen&Geboortedatum=19800101' })).searchKeys).toEqual({
      Geslachtsnaam: 'Jansen',
      Geboortedatum: '19800101',
    });
    expect(accepted(read({ ...base, zoek: 'Kenteken=12ABC3', personen: [{ bsn: '111111110' }] })).searchKeys).toEqual({ bsn: '111111110', Kenteken: '12ABC3' });
    const lookup = accepted(read({ ...base, personen: [{ bsn: 12345674 }] }));
    expect(lookup.bsn).toBe('012345674');
    expect(lookup.searchKeys).toEqual({ bsn: '12345674' });
    expect(accepted(read({ ...base, zoek: 'Burgerservicenr=12345674&Huisnummer=4' })).bsn).toBe('012345674');
    expect(accepted(read({ ...base, zoek: { BSN: 111222333 } })).bsn).toBe('111222333');
    expect(accepted(read({ ...base, zoek: 'Kenteken=12ABC3' })).bsn).toBeNull();
    expect(accepted(read({ ...base, personen: [{ bsn: 'onbekend' }] })).bsn).toBeNull();
  });

  const rejections: Array<[string, unknown, string]> = [
    ['an array', [1, 2], 'record is not an object'],
    ['null', null, 'record is not an object'],
    ['a string', 'tekst', 'record is not an object'],
    ['no time', { medewerker: { login: 'u' } }, "time field 'event.tijd' is missing"],
    ['an empty time', { event: { tijd: '' }, medewerker: { login: 'u' } }, "time field 'event.tijd' is missing"],
    ['a time in another format', { event: { tijd: '30-03-2026 10:00' }, medewerker: { login: 'u' } }, "time '30-03-2026 10:00' does not match format 'iso'"],
    ['an impossible time', { event: { tijd: '2026-02-30T10:00:00' }, medewerker: { login: 'u' } }, "time '2026-02-30T10:00:00' does not match format 'iso'"],
    ['no user', { event: { tijd: '2026-03-30T10:00:00' }, medewerker: {} }, "user field 'medewerker.login' is missing"],
    ['a path through a non-object', { event: 'x', medewerker: { login: 'u' } }, "time field 'event.tijd' is missing"],
  ];
  it.each(rejections)('rejects %s with a reason', (_name, value, reason) => {
    expect(rejected(read(value))).toBe(reason);
  });
});

describe('createMappedReader time formats', () => {
  const at = (format: string | undefined, value: unknown, timezone?: string) => {
    const mapping: Mapping = { fields: { time: 't', user: 'u', bsn: 'b' } };
    if (format !== undefined || timezone !== undefined) {
      mapping.time = {};
      if (format !== undefined) mapping.time.format = format;
      if (timezone !== undefined) mapping.time.timezone = timezone;
    }
    const result = createMappedReader(mapping, 'Europe/Amsterdam', false)({ layout: 'json', file: 'f.json', source: 0 })({ t: value, u: 'u' }, 1);
    return typeof result === 'string' ? result : iso(lookupOf(result).time);
  };

  const table: Array<[string, string | undefined, unknown, string | undefined, string]> = [
    ['iso with an offset keeps it', 'iso', '2026-04-02T09:15:03.120+02:00', undefined, '2026-04-02T07:15:03.120Z'],
    ['iso with a winter offset in summer keeps it', undefined, '2026-07-02T09:15:03+01:00', undefined, '2026-07-02T08:15:03.000Z'],
    ['iso with Z', undefined, '2026-04-02T09:15:03Z', undefined, '2026-04-02T09:15:03.000Z'],
    ['iso with +0530', undefined, '2026-04-02T09:15:03+0530', undefined, '2026-04-02T03:45:03.000Z'],
    ['iso without offset, summer (Amsterdam)', undefined, '2026-03-30T19:05:00', undefined, '2026-03-30T17:05:00.000Z'],
    ['iso without offset, winter (Amsterdam)', undefined, '2026-01-15 10:00', undefined, '2026-01-15T09:00:00.000Z'],
    ['iso without offset in the mapping zone', undefined, '2026-03-30T19:05:00', 'UTC', '2026-03-30T19:05:00.000Z'],
    ['epoch-ms as a number', 'epoch-ms', Date.parse('2026-03-30T17:05:00Z'), undefined, '2026-03-30T17:05:00.000Z'],
    ['epoch-ms as a string', 'epoch-ms', String(Date.parse('2026-03-30T17:05:00.250Z')), undefined, '2026-03-30T17:05:00.250Z'],
    ['epoch-s', 'epoch-s', 1774890300, undefined, '2026-03-30T17:05:00.000Z'],
    ['epoch-ms not a number', 'epoch-ms', '30-03-2026', undefined, "time '30-03-2026' does not match format 'epoch-ms'"],
    ['a pattern, summer', 'dd-MM-yyyy HH:mm:ss', '30-03-2026 19:05:00', undefined, '2026-03-30T17:05:00.000Z'],
    ['a pattern, winter', 'dd-MM-yyyy HH:mm:ss', '15-01-2026 10:00:00', undefined, '2026-01-15T09:00:00.000Z'],
    ['a pattern, wrong shape', 'dd-MM-yyyy HH:mm:ss', '2026-03-30 19:05:00', undefined, "time '2026-03-30 19:05:00' does not match format 'dd-MM-yyyy HH:mm:ss'"],
    ['a pattern, impossible date', 'dd-MM-yyyy HH:mm:ss', '31-04-2026 19:05:00', undefined, "time '31-04-2026 19:05:00' does not match format 'dd-MM-yyyy HH:mm:ss'"],
  ];
  it.each(table)('%s', (_name, format, value, timezone, expected) => {
    expect(at(format, value, timezone)).toBe(expected);
  });

  it('refuses a pattern without an hour, and an unknown zone, as ConfigError', () => {
    const fields = { time: 't', user: 'u', bsn: 'b' };
    expect(() => createMappedReader({ fields, time: { format: 'dd-MM-yyyy' } }, 'Europe/Amsterdam', false)).toThrow(ConfigError);
    expect(() => createMappedReader({ fields, time: { format: 'dd-MM-yyyy' } }, 'Europe/Amsterdam', false)).toThrow(
      "mapping time.format 'dd-MM-yyyy': no hour in the pattern",
    );
    expect(() => createMappedReader({ fields, time: { timezone: 'Europe/Amsterdamm' } }, 'UTC', false)).toThrow("unknown time zone 'Europe/Amsterdamm'");
    expect(() => createMappedReader({ fields }, 'Mars/Olympus', false)).toThrow(ConfigError);
  });
});

describe('createMappedReader on CSV records', () => {
  type Row = [line: number, result: Lookup | string, excerpt: string];

  async function csvLookups(csv: string, mapping: Mapping, delimiter = ';'): Promise<{ rows: Row[]; lastLine: number }> {
    async function* content(): AsyncGenerator<Buffer> {
      yield Buffer.from(csv, 'utf8');
    }
    const read = createMappedReader(mapping, 'Europe/Amsterdam', true)({ layout: 'csv', file: 'inlezen.csv', source: 3 });
    const progress = { lastLine: 0 };
    const rows: Row[] = [];
    for await (const batch of csvRecords(content(), { delimiter }, progress)) {
      for (const item of batch) {
        const result = item.kind === 'reject' ? `reject: ${item.reason}` : outcome(read(item.value, item.line));
        rows.push([item.line, result, item.excerpt()]);
      }
    }
    return { rows, lastLine: progress.lastLine };
  }

  it('matches columns case-insensitively, joins a date and a time column, splits roles and search keys', async () => {
    const csv = [
      '\uFEFFDatum;Tijd;GEBRUIKER; Rollen ;Zoeksleutels;BSN',
      '30-03-2026;19:05:00;u0070;BASIS_GSD&R1;Postcode=5346AB&Huisnummer=4;',
      '31-03-2026;08:00:00;u0071;;;111222333',
      '31-03-2026;;u0072;;;111222333',
      '31-03-2026;08:00;u0072;;;111222333',
      '31-03-2026;08:00:00;u0073;;12345674',
      '01-04-2026;09:30:00;u0074;R1;"Burgerservicenr=12345674;x";',
    ].join('\r\n');
    const mapping: Mapping = {
      fields: { time: ['datum', 'Tijd'], user: 'Gebruiker', roles: 'ROLLEN', searchKeys: 'zoeksleutels', bsn: 'bsn' },
      time: { format: 'dd-MM-yyyy HH:mm:ss' },
    };
    const origin = { layout: 'csv', file: 'inlezen.csv', source: 3 } as const;
    const { rows, lastLine } = await csvLookups(csv, mapping);
    expect(rows).toStrictEqual([
      [
        2,
        {
          time: Date.parse('2026-03-30T17:05:00.000Z'),
          user: 'u0070',
          userName: null,
          roles: ['BASIS_GSD', 'R1'],
          organisation: null,
          chosenMunicipality: null,
          page: null,
          searchKeys: { Postcode: '5346AB', Huisnummer: '4' },
          bsn: null,
          escapeReason: null,
          session: null,
          ...origin,
          line: 2,
        },
        '30-03-2026;19:05:00;u0070;BASIS_GSD&R1;Postcode=5346AB&Huisnummer=4;',
      ],
      [
        3,
        {
          time: Date.parse('2026-03-31T06:00:00.000Z'),
          user: 'u0071',
          userName: null,
          roles: [],
          organisation: null,
          chosenMunicipality: null,
          page: null,
          searchKeys: { bsn: '111222333' },
          bsn: '111222333',
          escapeReason: null,
          session: null,
          ...origin,
          line: 3,
        },
        '31-03-2026;08:00:00;u0071;;;111222333',
      ],
      [4, "time field 'datum+Tijd' is missing", '31-03-2026;;u0072;;;111222333'],
      [5, "time '31-03-2026 08:00' does not match format 'dd-MM-yyyy HH:mm:ss'", '31-03-2026;08:00;u0072;;;111222333'],
      [6, 'reject: Invalid Record Length: columns length is 6, got 5', '31-03-2026;08:00:00;u0073;;12345674'],
      [
        7,
        {
          time: Date.parse('2026-04-01T07:30:00.000Z'),
          user: 'u0074',
          userName: null,
          roles: ['R1'],
          organisation: null,
          chosenMunicipality: null,
          page: null,
          searchKeys: { Burgerservicenr: '12345674;x' },
          bsn: null,
          escapeReason: null,
          session: null,
          ...origin,
          line: 7,
        },
        '01-04-2026;09:30:00;u0074;R1;"Burgerservicenr=12345674;x";',
      ],
    ]);
    expect(lastLine).toBe(7);
  });
});

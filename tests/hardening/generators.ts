/**
 * Generators for the property-based hardening tests: valid lines of every layout, built from the BKWI sample
 * lines in `fixtures/samples/`, and the damage real files suffer (truncation, stray quotes and commas, NUL
 * bytes, CRs, invalid UTF-8, a BOM in the middle, blank lines, lines of 10 MB).
 *
 * Each valid line carries the lookup it is meant to be read as (its `intended` fields), computed without the
 * analyzer's code: a property can then check what was read, not only that something was.
 */
import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import type { Mapping } from '../../src/input/mapping.js';

/** The fixed seed of every property: CI runs are reproducible, and a failure prints seed and path to replay. */
export const SEED = 20260408;

/** Time for one property on a loaded two-core machine (vitest's default of 30 s is meant for examples). */
export const PROPERTY_TIMEOUT = 120_000;

/** Settings for `fc.assert`: the fixed seed and how many cases to try. */
export function runs(numRuns: number): { seed: number; numRuns: number } {
  return { seed: SEED, numRuns };
}

/** The canonical fields of a lookup that a valid line must be read as. */
export interface Intended {
  time: number;
  user: string;
  bsn: string | null;
  page: string | null;
}

/**
 * One line of a generated file, without its line end (it never holds an LF). `intended` is what it must be
 * read as: a lookup, a blank line, or `null` when no promise is made (a damaged or junk line may be read or
 * rejected, but only it).
 */
export interface GeneratedLine {
  bytes: Uint8Array;
  intended: Intended | 'blank' | null;
}

/**
 * Bytes as a failing case shows them: a character per byte (invalid UTF-8 stays visible), cut short (a line
 * of 10 MB must not flood the report).
 */
export function showBytes(bytes: Uint8Array, limit = 240): string {
  const shown = JSON.stringify(Buffer.from(bytes.subarray(0, limit)).toString('latin1'));
  return bytes.length > limit ? `${shown}… (${bytes.length} bytes)` : shown;
}

function generatedLine(bytes: Uint8Array, intended: GeneratedLine['intended']): GeneratedLine {
  return { bytes, intended, [fc.toStringMethod]: () => `${showBytes(bytes)} → ${JSON.stringify(intended)}` } as GeneratedLine;
}

// ---- the domain: people, citizens, pages, and a window of time around the spring clock change ----

export const LOGINS = ['0057_gsd_voorbeeld_mb', '0095_gsd_voorbeeld_tm', '0111_wgs_voorbeeld_mv', '0201_gsd_samenwerking_jk', '0123_bz_voorbeeld_uw', '0070_gsd_voorbeeld_ky'];
/** Display names with the characters that break naive parsers: commas, quotes, non-ASCII letters. */
const NAMES = ['mira bakker', 'vries, thijs de', 'jan "de schout" kramer', 'Ümit de Wit', 'Karin Yılmaz', 'Özlem Çelik'];
/** BSNs as logged: valid ones, a test person, an eight-digit one, and numbers that fail the 11-check. */
const BSNS = ['111222333', '249566758', '111111110', '683938861', '319072356', '768510338', '999998523', '12345672', '123456789', '000000000'];
const PAGES = ['bijstandsregelingen', 'gba-zoek', 'uwv-polis', 'rdw-zoek', 'duo-studiefinanciering'];
const OTHER_SEARCHES = ['Postcode=5346AB&Huisnummer=4', 'Kenteken=12ABC3', 'Geslachtsnaam=Vos&Geboortedatum=1980-01-01'];
const ESCAPE_REASONS = ['', '', '', 'Anders', 'Nieuwe klant of aanvraag', 'TOZO'];

/** Friday 27 to Tuesday 31 March 2026: evenings, a weekend and the night the clocks go forward. */
const WINDOW_START = Date.UTC(2026, 2, 27);
const WINDOW_END = Date.UTC(2026, 2, 31);
/** 29 March 2026, 01:00 UTC: Amsterdam goes from +01:00 to +02:00. */
const SUMMER_TIME = Date.UTC(2026, 2, 29, 1);

/** Amsterdam wall time of an instant in the window, as `YYYY-MM-DDTHH:MM:SS.mmm`, and its offset. */
function wallOf(instant: number): { wall: string; offset: string } {
  const hours = instant >= SUMMER_TIME ? 2 : 1;
  return { wall: new Date(instant + hours * 3_600_000).toISOString().slice(0, 23), offset: `+0${hours}:00` };
}

const bsnSearch = fc.constantFrom(...BSNS).map((bsn) => ({ bsn, intended: bsn.padStart(9, '0') }));

interface LookupSpec {
  time: number;
  login: string;
  name: string;
  page: string;
  /** The BSN as written, or null for a search by other keys. */
  bsn: { bsn: string; intended: string } | null;
  other: string;
  reason: string;
  session: string;
}

function lookupSpec(resolution: 1 | 1000): fc.Arbitrary<LookupSpec> {
  return fc.record({
    time: fc.integer({ min: WINDOW_START / resolution, max: WINDOW_END / resolution }).map((units) => units * resolution),
    login: fc.constantFrom(...LOGINS),
    name: fc.constantFrom(...NAMES),
    page: fc.constantFrom(...PAGES),
    bsn: fc.option(bsnSearch, { freq: 5 }),
    other: fc.constantFrom(...OTHER_SEARCHES),
    reason: fc.constantFrom(...ESCAPE_REASONS),
    session: fc.stringMatching(/^[0-9a-f]{32}$/),
  });
}

const encode = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

// ---- SI Classic ----

const SAMPLES = new URL('../../fixtures/samples/', import.meta.url);
const CLASSIC_SAMPLE = readFileSync(new URL('si-classic-access.log', SAMPLES), 'utf8').split('\n')[0]!;
/** The 36 fields of the first sample line, read with csv-parse (not with the analyzer's own scanner). */
const CLASSIC_TEMPLATE = (parseCsv(CLASSIC_SAMPLE.replace(/^info3 \S+ /, '')) as string[][])[0]!;
const V5_TEMPLATE = readFileSync(new URL('raadpleegpersoon_v5.log', SAMPLES), 'utf8').split('\r\n')[0]!.split(',');

/** A field as SI Classic writes it: numbers and empty fields bare, the rest in quotes with quotes doubled. */
const classicField = (value: string) => (value === '' || /^\d+$/.test(value) ? value : `"${value.replaceAll('"', '""')}"`);

/** An SI Classic line; `padding` lengthens the URL field (a 10 MB line that is still a valid lookup). */
export function classicLine(spec: LookupSpec, padding = ''): GeneratedLine {
  const { wall } = wallOf(spec.time);
  const start = `${wall.slice(0, 10)} ${wall.slice(11, 19)}`;
  const fields = [...CLASSIC_TEMPLATE];
  fields[5] = fields[6] = start;
  fields[15] = spec.login;
  fields[17] = spec.name;
  fields[23] = spec.session;
  fields[25] = spec.page;
  fields[27] = spec.bsn === null ? spec.other : `Burgerservicenr=${spec.bsn.bsn}`;
  fields[29] += padding;
  const prefix = `info3 ${start.slice(0, 10).replaceAll('-', '')}-${start.slice(11)} `;
  return generatedLine(encode(prefix + fields.map(classicField).join(',')), {
    time: spec.time,
    user: spec.login,
    bsn: spec.bsn?.intended ?? null,
    page: spec.page,
  });
}

export const validClassicLine: fc.Arbitrary<GeneratedLine> = lookupSpec(1000).map((spec) => classicLine(spec));

// ---- v5 ----

/** A v5 line: 16 unquoted fields, so the display name loses its commas (v5 has no way to write them). */
export function v5Line(spec: LookupSpec, uuid: string): GeneratedLine {
  const { wall } = wallOf(spec.time);
  const fields = [...V5_TEMPLATE];
  fields[1] = uuid;
  fields[3] = wall.slice(0, 10);
  fields[4] = wall.slice(11, 23);
  fields[5] = spec.login;
  fields[6] = spec.name.replaceAll(',', '');
  fields[11] = spec.bsn === null ? '' : `bsn=${spec.bsn.bsn}`;
  fields[15] = spec.reason;
  return generatedLine(encode(fields.join(',')), { time: spec.time, user: spec.login, bsn: spec.bsn?.intended ?? null, page: null });
}

export const validV5Line: fc.Arbitrary<GeneratedLine> = fc.tuple(lookupSpec(1), fc.uuid()).map(([spec, uuid]) => v5Line(spec, uuid));

// ---- NDJSON, JSON arrays and header CSV, read through a mapping ----

/** The mapping of the demo's Inlezen log (fixtures/demo/inlezen.mapping.json): NDJSON and JSON arrays. */
export const INLEZEN_MAPPING = JSON.parse(readFileSync(new URL('../../fixtures/demo/inlezen.mapping.json', import.meta.url), 'utf8')) as Mapping;

/** An Inlezen application log record as the demo mapping reads it. */
export interface InlezenRecord {
  value: Record<string, unknown>;
  intended: Intended;
}

export const inlezenRecord: fc.Arbitrary<InlezenRecord> = lookupSpec(1).map((spec) => {
  const { wall, offset } = wallOf(spec.time);
  const keys = spec.bsn === null ? Object.fromEntries(new URLSearchParams(spec.other)) : { bsn: spec.bsn.bsn };
  return {
    value: {
      tijdstip: `${wall}${offset}`,
      medewerker: { login: spec.login, naam: spec.name },
      rollen: ['BASIS_GSD', 'FR0999001', 'R1'],
      dienst: spec.page,
      zoeksleutels: keys,
      applicatie: 'Suite4Sociaal',
    },
    intended: { time: spec.time, user: spec.login, bsn: spec.bsn?.intended ?? null, page: spec.page },
  };
});

export const validNdjsonLine: fc.Arbitrary<GeneratedLine> = inlezenRecord.map(({ value, intended }) => generatedLine(encode(JSON.stringify(value)), intended));

/** A header CSV export of a case system: local times, names that need quoting, a BSN column. */
export const CSV_MAPPING: Mapping = {
  format: 'csv',
  fields: { time: 'Tijdstip', user: 'Gebruiker', userName: 'Naam', page: 'Dienst', bsn: 'BSN' },
  time: { format: 'yyyy-MM-dd HH:mm:ss' },
};
export const CSV_COLUMNS = ['tijdstip', 'gebruiker', 'naam', 'dienst', 'bsn'];

/** A CSV row: its fields (a name may hold the delimiter, quotes and line ends) and what it must be read as. */
export interface CsvRow {
  fields: string[];
  intended: Intended;
}

export const csvRow: fc.Arbitrary<CsvRow> = fc
  .tuple(lookupSpec(1000), fc.constantFrom('', '\n', '\r\n'), fc.constantFrom('', ',', ';', '\t', '"'))
  .map(([spec, lineEnd, separator]) => {
    const { wall } = wallOf(spec.time);
    // A name as typed in a form: with the delimiter, a quote or a line break, which CSV carries in quotes.
    const name = `${spec.name}${separator}${lineEnd}${separator === '"' ? 'bijnaam' : ''}`;
    return {
      fields: [`${wall.slice(0, 10)} ${wall.slice(11, 19)}`, spec.login, name, spec.page, spec.bsn?.bsn ?? ''],
      intended: { time: spec.time, user: spec.login, bsn: spec.bsn?.intended ?? null, page: spec.page },
    };
  });

/** A field as a spreadsheet writes it: quoted when it must be (and sometimes when it need not be). */
export function csvField(value: string, delimiter: string, quoteAnyway: boolean): string {
  return quoteAnyway || value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

// ---- damage ----

const BOM = [0xef, 0xbb, 0xbf];
/** Byte sequences that are not UTF-8: a stray continuation byte, a cut sequence, an overlong form, a surrogate. */
const INVALID_UTF8 = [[0xff], [0x80], [0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]];
/** What lands inside real lines: quotes, doubled quotes, commas, NUL, a lone CR, a BOM, invalid UTF-8. */
const INJECTIONS: number[][] = [[0x22], [0x22, 0x22], [0x2c], [0x00], [0x0d], BOM, ...INVALID_UTF8];

/**
 * A change to a line's bytes. `insert-unquoted` inserts next to no double quote (CSV: the damage then stays
 * inside its record; a byte after a closing quote reopens the field and swallows the records after it).
 */
export type Mutation = { kind: 'truncate'; at: number } | { kind: 'insert' | 'insert-unquoted'; at: number; bytes: number[] };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.constantFrom(...INJECTIONS) }),
);

const QUOTE = 0x22;

function applyMutation(bytes: Uint8Array, change: Mutation): Uint8Array {
  let at = bytes.length === 0 ? 0 : change.at % (bytes.length + 1);
  if (change.kind === 'truncate') return bytes.subarray(0, at);
  if (change.kind === 'insert-unquoted') {
    const nearQuote = (position: number) => bytes[position - 1] === QUOTE || bytes[position] === QUOTE;
    let tries = 0;
    for (; nearQuote(at) && tries <= bytes.length; tries++) at = (at + 1) % (bytes.length + 1);
    if (tries > bytes.length) return bytes;
  }
  return Uint8Array.from([...bytes.subarray(0, at), ...change.bytes, ...bytes.subarray(at)]);
}

/** A line damaged one to three times: no promise is made about it, only about its neighbours. */
export function damaged(line: fc.Arbitrary<GeneratedLine>): fc.Arbitrary<GeneratedLine> {
  return fc
    .tuple(line, fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([original, changes]) => generatedLine(changes.reduce(applyMutation, original.bytes), null));
}

/** Blank and white-space lines (a no-break space too): counted as blank, never as a lookup or a reject. */
export const blankLine: fc.Arbitrary<GeneratedLine> = fc
  .array(fc.constantFrom(' ', '\t', '\v', '\f', '\u00a0', '\u3000'), { maxLength: 6 })
  .map((chars) => generatedLine(encode(chars.join('')), 'blank'));

/** Arbitrary bytes without an LF: binary junk, half-written lines. */
export const junkLine: fc.Arbitrary<GeneratedLine> = fc
  .uint8Array({ maxLength: 300 })
  .map((bytes) => generatedLine(bytes.map((byte) => (byte === 0x0a ? 0x20 : byte)), null));

/**
 * A mix of valid lines (most of them), damaged ones, blank ones and junk, and lines behind a BOM (dropped at
 * the start of a file only, so such a line tells whether a chunk was taken for the start of the file).
 */
export function lineMix(...valid: Array<fc.Arbitrary<GeneratedLine>>): fc.Arbitrary<GeneratedLine> {
  const anyValid = fc.oneof(...valid);
  return fc.oneof(
    { weight: 6, arbitrary: anyValid },
    { weight: 3, arbitrary: damaged(anyValid) },
    { weight: 1, arbitrary: anyValid.map((line) => generatedLine(Uint8Array.from([...BOM, ...line.bytes]), null)) },
    { weight: 1, arbitrary: blankLine },
    { weight: 1, arbitrary: junkLine },
  );
}

// ---- files of lines ----

/** A generated file: its lines with LF or CRLF ends; the last line may have none. */
export interface GeneratedFile {
  lines: GeneratedLine[];
  bytes: Buffer;
  /** Each line with its own line end, as it stands in the file. */
  lineBytes: Buffer[];
}

export function assemble(lines: GeneratedLine[], ends: Array<'\n' | '\r\n'>, lastEnded: boolean): GeneratedFile {
  const lineBytes = lines.map((line, index) => {
    // A last line without bytes and without an end is no line at all: give it its end.
    const end = index < lines.length - 1 || lastEnded || line.bytes.length === 0 ? ends[index % ends.length]! : '';
    return Buffer.concat([line.bytes, Buffer.from(end)]);
  });
  const file = { lines, bytes: Buffer.concat(lineBytes), lineBytes };
  return Object.assign(file, { [fc.toStringMethod]: () => `file of ${lineBytes.length} lines: ${lineBytes.map(showBytes).join(', ')}` });
}

/** A file of the given lines, with mixed LF and CRLF ends. */
export function logFile(line: fc.Arbitrary<GeneratedLine>, maxLines = 40): fc.Arbitrary<GeneratedFile> {
  return fc
    .tuple(
      fc.array(line, { minLength: 1, maxLength: maxLines, size: 'max' }),
      fc.array(fc.constantFrom('\n' as const, '\r\n' as const), { minLength: 1, maxLength: 4 }),
      fc.boolean(),
    )
    .map(([lines, ends, lastEnded]) => assemble(lines, ends, lastEnded));
}

/** Bytes damaged by the given mutations (shown readably in a failing case). */
export function damage(bytes: Uint8Array, changes: readonly Mutation[]): Buffer {
  const damaged = Buffer.from(changes.reduce(applyMutation, bytes));
  return Object.assign(damaged, { [fc.toStringMethod]: () => showBytes(damaged) });
}

/** Ten megabytes of one character, made once: the suite builds lines of 10 MB without building the text again. */
export const TEN_MB = 'x'.repeat(10 << 20);

/**
 * A line of about 10 MB: a valid SI Classic lookup with a huge URL field, junk with a NUL near its end, a v5
 * line cut short, or a v5 line with a date field of 10 MB.
 */
export const hugeLine: fc.Arbitrary<GeneratedLine> = fc.oneof(
  lookupSpec(1000).map((spec) => classicLine(spec, TEN_MB)),
  fc.constant(generatedLine(encode(`${TEN_MB}\0tail`), null)),
  fc.constant(generatedLine(encode(`5,${TEN_MB},,,`), null)),
  fc.tuple(lookupSpec(1), fc.uuid()).map(([spec, uuid]) => {
    // A date field of 10 MB: a valid shape with an impossible value.
    const line = Buffer.from(v5Line(spec, uuid).bytes).toString('utf8').split(',');
    line[3] = TEN_MB;
    return generatedLine(encode(line.join(',')), null);
  }),
);

/** A line-oriented layout as the properties run it: its lines, and how the engine is told about it. */
export interface LineLayoutCase {
  name: string;
  layout: 'classic' | 'v5' | 'ndjson';
  /** `--format` given (only that layout is read), or detected (both BKWI layouts, line by line). */
  forced: boolean;
  line: fc.Arbitrary<GeneratedLine>;
  mapping: Mapping | undefined;
  extension: string;
}

export const LINE_LAYOUTS: LineLayoutCase[] = [
  { name: 'SI Classic (--format classic)', layout: 'classic', forced: true, line: lineMix(validClassicLine), mapping: undefined, extension: 'log' },
  { name: 'v5 (--format v5)', layout: 'v5', forced: true, line: lineMix(validV5Line), mapping: undefined, extension: 'log' },
  {
    name: 'SI Classic and v5 in one detected file',
    layout: 'classic',
    forced: false,
    line: lineMix(validClassicLine, validV5Line),
    mapping: undefined,
    extension: 'log',
  },
  { name: 'NDJSON through the demo mapping', layout: 'ndjson', forced: false, line: lineMix(validNdjsonLine), mapping: INLEZEN_MAPPING, extension: 'ndjson' },
];

// ---- header CSV files and JSON arrays ----

/** A header CSV file and what each of its records must be read as, by the record's first line. */
export interface GeneratedCsv {
  bytes: Buffer;
  delimiter: ',' | ';' | '\t';
  /** Lines of the whole file, header included. */
  lines: number;
  records: Array<{ line: number; intended: Intended | null }>;
}

/** A record of a CSV file: a row written as a spreadsheet would, damaged or not, or an empty line. */
export type CsvEntry = { row: CsvRow; quoteAnyway: boolean; damage: Mutation[] } | 'empty';

/**
 * Writes a CSV file: a header (with a BOM or not), then the entries with mixed LF and CRLF line ends. An
 * undamaged row is promised to be read as intended; a damaged one is promised nothing.
 */
export function csvFile(entries: readonly CsvEntry[], delimiter: ',' | ';' | '\t', ends: ReadonlyArray<'\n' | '\r\n'>, bom: boolean): GeneratedCsv {
  const header = ['Tijdstip', 'Gebruiker', 'Naam', 'Dienst', 'BSN'].join(delimiter);
  const parts: Buffer[] = [Buffer.from(`${bom ? '\uFEFF' : ''}${header}${ends[0]}`, 'utf8')];
  const records: GeneratedCsv['records'] = [];
  let line = 2;
  entries.forEach((entry, index) => {
    const end = ends[(index + 1) % ends.length]!;
    let bytes: Uint8Array = new Uint8Array(0);
    if (entry !== 'empty') {
      const text = entry.row.fields.map((field) => csvField(field, delimiter, entry.quoteAnyway)).join(delimiter);
      bytes = entry.damage.reduce(applyMutation, encode(text));
      records.push({ line, intended: entry.damage.length === 0 ? entry.row.intended : null });
    }
    parts.push(Buffer.from(bytes), Buffer.from(end));
    line += 1 + bytes.filter((byte) => byte === 0x0a).length;
  });
  return { bytes: Buffer.concat(parts), delimiter, lines: line - 1, records };
}

/**
 * Damage that stays inside its record: NUL bytes, invalid UTF-8, a BOM, an extra delimiter, never next to a quote.
 * (A stray quote may swallow the records after it: that is CSV, and only the general properties hold then.)
 */
const CONTAINED_INJECTIONS: number[][] = [[0x00], BOM, [0x2c], [0x3b], [0x09], ...INVALID_UTF8];
export const containedDamage: fc.Arbitrary<Mutation[]> = fc.array(
  fc.record({ kind: fc.constant('insert-unquoted' as const), at: fc.nat(), bytes: fc.constantFrom(...CONTAINED_INJECTIONS) }),
  { minLength: 1, maxLength: 2 },
);
export const anyDamage: fc.Arbitrary<Mutation[]> = fc.array(mutation, { minLength: 1, maxLength: 3 });

/** CSV files whose rows are valid, damaged by `damage`, or empty lines. */
export function csvFiles(damage: fc.Arbitrary<Mutation[]>): fc.Arbitrary<GeneratedCsv> {
  const entry: fc.Arbitrary<CsvEntry> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ row: csvRow, quoteAnyway: fc.boolean(), damage: fc.constant<Mutation[]>([]) }) },
    { weight: 3, arbitrary: fc.record({ row: csvRow, quoteAnyway: fc.boolean(), damage }) },
    { weight: 1, arbitrary: fc.constant('empty' as const) },
  );
  return fc
    .tuple(
      fc.array(entry, { minLength: 1, maxLength: 30, size: 'max' }),
      fc.constantFrom(',' as const, ';' as const, '\t' as const),
      fc.array(fc.constantFrom('\n' as const, '\r\n' as const), { minLength: 1, maxLength: 4 }),
      fc.boolean(),
    )
    .map(([entries, delimiter, ends, bom]) => {
      const file = csvFile(entries, delimiter, ends, bom);
      return Object.assign(file, { [fc.toStringMethod]: () => `CSV ${showBytes(file.bytes, 4000)}` });
    });
}

/** A JSON array file (an export of an Inlezen log) and what each element must be read as. */
export interface GeneratedJsonArray {
  bytes: Buffer;
  /** Per element, in order: the intended lookup, or null when the element is no record (a number, a list…). */
  elements: Array<Intended | null>;
}

const jsonElement: fc.Arbitrary<{ value: unknown; intended: Intended | null }> = fc.oneof(
  { weight: 6, arbitrary: inlezenRecord },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value) => ({ value, intended: null })) },
);

/** JSON arrays as exporters write them: compact or indented, with names in every script. */
export const jsonArrayFiles: fc.Arbitrary<GeneratedJsonArray> = fc
  .tuple(
    fc.array(jsonElement, { maxLength: 30, size: 'max' }),
    fc.constantFrom(undefined, 2, '\t'),
    fc.constantFrom('', '\n', '\r\n'),
    fc.constantFrom('', '\uFEFF'),
  )
  .map(([elements, indent, trailer, bom]) => {
    const bytes = Buffer.from(bom + JSON.stringify(elements.map((element) => element.value), null, indent) + trailer, 'utf8');
    return Object.assign(
      { bytes, elements: elements.map((element) => element.intended) },
      { [fc.toStringMethod]: () => `JSON array ${showBytes(bytes, 4000)}` },
    );
  });

// ---- pieces, as reads from disk deliver them ----

/** Offsets at which to cut some bytes into pieces (sorted, distinct, inside the bytes). */
export function cutPoints(length: number, maxCuts = 12): fc.Arbitrary<number[]> {
  if (length <= 1) return fc.constant([]);
  return fc.uniqueArray(fc.integer({ min: 1, max: length - 1 }), { maxLength: maxCuts }).map((cuts) => cuts.sort((a, b) => a - b));
}

/** `bytes` cut at the given offsets. */
export function cutAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const pieces: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    pieces.push(bytes.subarray(from, cut));
    from = cut;
  }
  return pieces;
}

import { readFileSync } from 'node:fs';
import { CsvError, parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { FieldOffsets, scanQuotedRecord, splitQuotedRecord } from '../../src/input/quoted-fields.js';
import { prng } from '../support/prng.js';

/** csv-parse's reading of one line: its fields, or 'rejected' when it throws. */
function csvParse(line: string): string[] | 'rejected' {
  try {
    const records = parse(line, { relax_quotes: false });
    if (records.length !== 1) throw new Error(`csv-parse found ${records.length} records in ${JSON.stringify(line)}`);
    return records[0]!;
  } catch (error) {
    if (error instanceof CsvError) return 'rejected';
    throw error;
  }
}

function ours(line: string): string[] | 'rejected' {
  const result = splitQuotedRecord(line);
  if (Array.isArray(result)) return result;
  expect(result.reason).toMatch(/^(unterminated quoted field|quote inside unquoted field|unexpected character after quoted field) \d+$/);
  return 'rejected';
}


const ALPHABET = ['a', 'b', 'Z', '0', '9', ' ', '"', ',', '=', '&', ';', '\t', 'é', 'ı', '😀', "'"];

/** A random record as fields plus one valid CSV rendering of it (quoted where needed, else at random). */
function randomRecord(random: () => number): { fields: string[]; line: string } {
  const count = 2 + Math.floor(random() * 38);
  const fields: string[] = [];
  const rendered: string[] = [];
  for (let index = 0; index < count; index++) {
    const length = random() < 0.3 ? 0 : Math.floor(random() * 12);
    let value = '';
    for (let char = 0; char < length; char++) value += ALPHABET[Math.floor(random() * ALPHABET.length)]!;
    fields.push(value);
    const mustQuote = value.includes('"') || value.includes(',');
    rendered.push(mustQuote || random() < 0.5 ? `"${value.replaceAll('"', '""')}"` : value);
  }
  return { fields, line: rendered.join(',') };
}

const classicSample = readFileSync(new URL('../../fixtures/samples/si-classic-access.log', import.meta.url), 'utf8');
const v5Sample = readFileSync(new URL('../../fixtures/samples/raadpleegpersoon_v5.log', import.meta.url), 'utf8');

describe('splitQuotedRecord against csv-parse', () => {
  it('agrees on the SI Classic sample record bodies (36 fields each)', () => {
    const bodies = classicSample
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.replace(/^info\d* \d{8}-\d{2}:\d{2}:\d{2} /, ''));
    expect(bodies).toHaveLength(5);
    for (const body of bodies) {
      const fields = ours(body);
      expect(fields).toEqual(csvParse(body));
      expect((fields as string[]).length).toBe(36);
    }
    expect((ours(bodies[1]!) as string[])[17]).toBe('vries, thijs de');
    expect((ours(bodies[3]!) as string[])[16]).toBe('cn=jan "de schout" kramer,ou=samenwerking,ou=gsd,o=suwi,c=nl');
  });

  it('agrees on the v5 sample lines (16 unquoted fields each)', () => {
    const v5Lines = v5Sample.split('\r\n').filter((line) => line !== '');
    expect(v5Lines).toHaveLength(4);
    for (const line of v5Lines) {
      expect(ours(line)).toEqual(csvParse(line));
      expect((ours(line) as string[]).length).toBe(16);
    }
  });

  const valid: Array<[string, string[]]> = [
    ['a,b,c', ['a', 'b', 'c']],
    [',,', ['', '', '']],
    ['a,', ['a', '']],
    [',a', ['', 'a']],
    ['"",b', ['', 'b']],
    ['a,""', ['a', '']],
    ['"a""b",c', ['a"b', 'c']],
    ['"""",x', ['"', 'x']],
    ['"""a""",""""""', ['"a"', '""']],
    ['"a,b",c', ['a,b', 'c']],
    ['",",","', [',', ',']],
    [' a , b ', [' a ', ' b ']],
    ['"multi ""quoted"" text, with comma",', ['multi "quoted" text, with comma', '']],
    ["it's,bare", ["it's", 'bare']],
  ];
  it.each(valid)('reads %j like csv-parse', (line, fields) => {
    expect(ours(line)).toEqual(fields);
    expect(csvParse(line)).toEqual(fields);
  });

  const malformed: Array<[string, string]> = [
    ['"abc', 'unterminated quoted field 0'],
    ['a,"b', 'unterminated quoted field 1'],
    ['"a""', 'unterminated quoted field 0'],
    ['""",x', 'unterminated quoted field 0'],
    ['a"b,c', 'quote inside unquoted field 0'],
    ['a,b"', 'quote inside unquoted field 1'],
    [' "a",b', 'quote inside unquoted field 0'],
    ['"a"b,c', 'unexpected character after quoted field 0'],
    ['x,"a" ,c', 'unexpected character after quoted field 1'],
    ['""a",b', 'unexpected character after quoted field 0'],
  ];
  it.each(malformed)('rejects %j, as csv-parse does', (line, reason) => {
    expect(splitQuotedRecord(line)).toEqual({ reason });
    expect(csvParse(line)).toBe('rejected');
  });

  it('reads the same fields as csv-parse on 400 generated valid records', () => {
    const random = prng(20260329);
    for (let index = 0; index < 400; index++) {
      const { fields, line } = randomRecord(random);
      expect(ours(line), line).toEqual(fields);
      expect(csvParse(line), line).toEqual(fields);
    }
  });

  it('accepts and rejects the same 400 mutated records as csv-parse, with the same fields when accepted', () => {
    const random = prng(20261025);
    let rejected = 0;
    for (let index = 0; index < 400; index++) {
      // Cut between code points: a line decoded from UTF-8 never holds half a surrogate pair.
      const chars = Array.from(randomRecord(random).line);
      const at = Math.floor(random() * (chars.length + 1));
      const insert = ['"', '"', '" ', 'x"', '""'][Math.floor(random() * 5)]!;
      const mutated = chars.slice(0, at).join('') + insert + chars.slice(at).join('');
      const result = ours(mutated);
      expect(result, mutated).toEqual(csvParse(mutated));
      if (result === 'rejected') rejected++;
    }
    // The mutations must exercise both outcomes for the comparison to mean something.
    expect(rejected).toBeGreaterThan(100);
    expect(rejected).toBeLessThan(400);
  });

  it('starts reading at the given offset', () => {
    expect(splitQuotedRecord('info3 20260302-08:00:12 "a",,b', 24)).toEqual(['a', '', 'b']);
  });
});

/** What scanQuotedRecord reads between `start` and `end`: the fields (unescaped), or the reason. */
function scanned(text: string, start: number, end: number, fields = new FieldOffsets(1024)): string[] | { reason: string } {
  const problem = scanQuotedRecord(text, start, end, fields);
  if (problem !== null) return { reason: problem };
  return Array.from({ length: fields.count }, (_, index) => fields.value(text, index));
}

/**
 * A record as forEachLine hands it to a parser: inside a chunk, after other lines and before a line break
 * (LF or CRLF) and more lines. The neighbours hold quotes and commas, so reading past either offset shows.
 */
function embed(random: () => number, record: string): { text: string; start: number; end: number } {
  const neighbours = ['', 'x,"y"\n', '"a","b,c"\r\n', 'info3 20260302-08:00:12 "vorige",,"regel"\n', '"""\n', 'open "quote\n'];
  const pick = () => neighbours[Math.floor(random() * neighbours.length)]!;
  const before = pick() + pick();
  const lineEnd = random() < 0.5 ? '\n' : '\r\n';
  const text = `${before}${record}${lineEnd}${pick()}"volgende",regel,"met ""quotes"""`;
  return { text, start: before.length, end: before.length + record.length };
}

describe('scanQuotedRecord on offsets', () => {
  it('reads a record inside a chunk between start and end like the record on its own (and csv-parse)', () => {
    const random = prng(20260302);
    const fields = new FieldOffsets(64);
    let rejected = 0;
    for (let index = 0; index < 600; index++) {
      const valid = randomRecord(random);
      let record = valid.line;
      if (index % 2 === 1) {
        const chars = Array.from(record);
        const at = Math.floor(random() * (chars.length + 1));
        record = chars.slice(0, at).join('') + ['"', '" ', 'x"', '""', ','][Math.floor(random() * 5)]! + chars.slice(at).join('');
      }
      const alone = ours(record);
      if (index % 2 === 0) expect(alone, record).toEqual(valid.fields);
      expect(alone, record).toEqual(csvParse(record));
      const { text, start, end } = embed(random, record);
      expect(scanned(text, start, end, fields), JSON.stringify(text)).toEqual(splitQuotedRecord(record));
      if (alone === 'rejected') rejected++;
    }
    // The mutations must exercise both outcomes for the comparison to mean something.
    expect(rejected).toBeGreaterThan(100);
    expect(rejected).toBeLessThan(300);
  });

  it('reads the SI Classic sample lines inside the sample file by offsets', () => {
    const fields = new FieldOffsets(36);
    let start = 0;
    for (const line of classicSample.split('\n').slice(0, -1)) {
      const prefix = /^info\d* \d{8}-\d{2}:\d{2}:\d{2} /.exec(line)![0].length;
      expect(scanned(classicSample, start + prefix, start + line.length, fields)).toEqual(csvParse(line.slice(prefix)));
      expect(fields.count).toBe(36);
      start += line.length + 1;
    }
    expect(start).toBe(classicSample.length);
  });

  it('writes offsets and marks only fields with doubled quotes as escaped', () => {
    const text = 'junk\n"a""b",,plain,"",""""\r\nnext';
    const fields = new FieldOffsets(8);
    expect(scanQuotedRecord(text, 5, text.indexOf('\r'), fields)).toBeNull();
    expect(fields.count).toBe(5);
    expect(Array.from(fields.starts.subarray(0, 5))).toEqual([6, 12, 13, 20, 23]);
    expect(Array.from(fields.ends.subarray(0, 5))).toEqual([10, 12, 18, 20, 25]);
    expect(Array.from(fields.escaped.subarray(0, 5))).toEqual([1, 0, 0, 0, 1]);
    expect([0, 1, 2, 3, 4].map((index) => fields.value(text, index))).toEqual(['a"b', '', 'plain', '', '"']);
    expect([0, 1, 2, 3, 4].map((index) => fields.isEmpty(index))).toEqual([false, true, false, true, false]);
  });

  it('leaves no stale escape mark when the offsets are reused', () => {
    const fields = new FieldOffsets(4);
    expect(scanned('"a""b",c', 0, 8, fields)).toEqual(['a"b', 'c']);
    expect(scanned('"x"""', 0, 5, fields)).toEqual(['x"']);
    expect(scanned('"a""b"x', 0, 6, fields)).toEqual(['a"b']);
    expect(scanned('"a""",c', 0, 7, fields)).toEqual(['a"', 'c']);
    expect(scanned('ab,c', 0, 4, fields)).toEqual(['ab', 'c']);
  });

  it('counts the fields up to the capacity, and more as capacity + 1', () => {
    const fields = new FieldOffsets(3);
    expect(scanned('a,"b",c', 0, 7, fields)).toEqual(['a', 'b', 'c']);
    expect(fields.count).toBe(3);
    expect(scanQuotedRecord('a,"b",c,d', 0, 9, fields)).toBeNull();
    expect(fields.count).toBe(4);
    expect(scanQuotedRecord('a,b,c,d,e,f,g', 0, 13, fields)).toBeNull();
    expect(fields.count).toBe(4);
    expect(scanQuotedRecord('a,b,c,', 0, 6, fields)).toBeNull();
    expect(fields.count).toBe(4);
  });

  it('does not take a quote after end as the closing quote', () => {
    expect(scanned('"a,b"\n', 0, 3)).toEqual({ reason: 'unterminated quoted field 0' });
    expect(scanned('x,"ab""\n"', 0, 7)).toEqual({ reason: 'unterminated quoted field 1' });
    expect(scanned('x,"ab"\n"', 0, 6)).toEqual(['x', 'ab']);
  });
});

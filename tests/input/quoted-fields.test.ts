import { readFileSync } from 'node:fs';
import { CsvError, parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { splitQuotedRecord } from '../../src/input/quoted-fields.js';
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

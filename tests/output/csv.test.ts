import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from '../../src/output/csv.js';
import { parse } from 'csv-parse/sync';

describe('CSV for Excel', () => {
  it('quotes only where needed and doubles quotes', () => {
    expect(csvCell('plain', ';')).toBe('plain');
    expect(csvCell('a;b', ';')).toBe('"a;b"');
    expect(csvCell('a,b', ';')).toBe('a,b');
    expect(csvCell('jan "de schout" kramer', ';')).toBe('"jan ""de schout"" kramer"');
    expect(csvCell('two\nlines', ';')).toBe('"two\nlines"');
    expect(csvCell(' padded', ';')).toBe('" padded"');
    expect(csvCell(null, ';')).toBe('');
    expect(csvCell(42, ';')).toBe('42');
  });

  it('makes formulas inert (CSV injection)', () => {
    for (const value of ['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)']) expect(csvCell(value, ';').includes(`'${value[0]}`)).toBe(true);
    expect(csvCell('2026-04-01', ';')).toBe('2026-04-01');
  });

  it('round-trips through csv-parse', () => {
    const values = ['a;b', 'quote " here', 'multi\r\nline', 'Özlem Çelik', ''];
    const row = csvRow(values, ';');
    expect(parse(row, { delimiter: ';' })[0]).toEqual(values);
  });
});

import { describe, expect, it } from 'vitest';
import { clockAt, dayNumber, formatDay, parseDay, wallDateAt } from '../../src/time/civil.js';
import { prng } from '../support/prng.js';

describe('wallDateAt and clockAt (the BKWI parsers read date and time with them)', () => {
  it('reads real dates inside a longer text, and refuses impossible or malformed ones', () => {
    const table: Array<[string, number | null]> = [
      ['x2026-03-29y', Date.UTC(2026, 2, 29)],
      ['x2028-02-29y', Date.UTC(2028, 1, 29)],
      ['x2026-02-29y', null],
      ['x2026-04-31y', null],
      ['x2026-13-01y', null],
      ['x2026/03/29y', null],
      ['x2026-3-290y', null],
    ];
    for (const [text, expected] of table) expect([text, wallDateAt(text, 1, 11)]).toEqual([text, expected]);
    expect(wallDateAt('2026-03-29', 0, 9)).toBeNull();
  });

  it('reads HH:MM:SS with up to three decimals, and refuses impossible or malformed ones', () => {
    const table: Array<[string, number | null]> = [
      ['19:05:00', 19 * 3_600_000 + 5 * 60_000],
      ['00:00:00.5', 500],
      ['23:59:59.99', 86_399_990],
      ['08:00:09.949', 8 * 3_600_000 + 9_949],
      ['24:00:00', null],
      ['10:60:00', null],
      ['10:00:60', null],
      ['10:00:00.', null],
      ['10:00:00,5', null],
      ['10:00', null],
      ['10:00:00.1234', null],
    ];
    for (const [text, expected] of table) expect([text, clockAt(text, 0, text.length)]).toEqual([text, expected]);
  });
});

describe('formatDay', () => {
  it('formats each day right when days repeat and alternate (it remembers the last one)', () => {
    const days = ['2026-03-31', '2026-03-31', '2026-04-01', '2026-03-31', '1969-12-31', '2028-02-29', '2028-02-29'];
    expect(days.map((iso) => formatDay(dayNumber(...(iso.split('-').map(Number) as [number, number, number]))!))).toEqual(days);
  });
});

describe('parseDay', () => {
  it('reads what its regular expressions read, also where the common form is read without them (differential)', () => {
    // What it was before the fast path for YYYY-MM-DD.
    const byExpressions = (text: string): number | null => {
      const trimmed = text.trim();
      let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
      if (match) return dayNumber(Number(match[1]), Number(match[2]), Number(match[3]));
      match = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/.exec(trimmed);
      if (match) return dayNumber(Number(match[3]), Number(match[2]), Number(match[1]));
      return null;
    };
    const random = prng(29);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const years = ['2026', '2024', '1999', '0000', '026', '+026', '２026'];
    const numbers = ['01', '02', '2', '12', '13', '28', '29', '30', '31', '00', '0x', '1١'];
    const separators = ['-', '-', '/', ' ', ''];
    const edges = ['', '', '', ' ', '\t', 'x'];
    const cases = ['2026-02-28', '2024-02-29', '2026-02-29', '2026-13-01', ' 2026-01-01', '2026-01-01 ', '2026-1-01', '01-02-2026', '1/2/2026', '2026/01/01'];
    for (let index = 0; index < 20_000; index++) {
      const [a, b, c] = random() < 0.6 ? [pick(years), pick(numbers), pick(numbers)] : [pick(numbers), pick(numbers), pick(years)];
      cases.push(`${pick(edges)}${a}${pick(separators)}${b}${pick(separators)}${c}${pick(edges)}`);
    }
    let read = 0;
    for (const text of cases) {
      const expected = byExpressions(text);
      expect(parseDay(text), JSON.stringify(text)).toBe(expected);
      if (expected !== null) read++;
    }
    expect(read).toBeGreaterThan(200);
  });
});

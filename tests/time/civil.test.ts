import { describe, expect, it } from 'vitest';
import { clockAt, dayNumber, formatDay, wallDateAt } from '../../src/time/civil.js';

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

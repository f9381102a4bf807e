import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { Calendar, holidaysTabled, libraryHolidays } from '../../src/time/calendar.js';
import { dayNumber, formatDay } from '../../src/time/civil.js';
import { NL_FIRST_YEAR, NL_HOLIDAYS } from '../../src/time/nl-holidays.js';
import { ROOT } from '../e2e/cli-helpers.js';

const AMSTERDAM = 'Europe/Amsterdam';
const day = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return dayNumber(y, m, d)!;
};
const datesOf = (calendar: Calendar, year: number) => calendar.holidaysOf(year).map(([date]) => date);

/** DOMAIN.md: Nieuwjaarsdag, Eerste en Tweede Paasdag, Koningsdag, Hemelvaartsdag, Eerste en Tweede Pinksterdag, Eerste en Tweede Kerstdag. */
const PUBLIC: Record<number, string[]> = {
  2025: ['2025-01-01', '2025-04-20', '2025-04-21', '2025-04-26', '2025-05-29', '2025-06-08', '2025-06-09', '2025-12-25', '2025-12-26'],
  2026: ['2026-01-01', '2026-04-05', '2026-04-06', '2026-04-27', '2026-05-14', '2026-05-24', '2026-05-25', '2026-12-25', '2026-12-26'],
  2027: ['2027-01-01', '2027-03-28', '2027-03-29', '2027-04-27', '2027-05-06', '2027-05-16', '2027-05-17', '2027-12-25', '2027-12-26'],
};

describe('Calendar holidays', () => {
  const calendar = new Calendar({ timezone: AMSTERDAM });

  it.each([2025, 2026, 2027])('has exactly the Dutch public days off of %i', (year) => {
    expect(datesOf(calendar, year)).toEqual(PUBLIC[year]);
  });

  it('hands its days off to another calendar, which answers the same for those years and computes the others', () => {
    const adjusted = new Calendar({ timezone: AMSTERDAM, holidays: { add: ['05-05=Bevrijdingsdag'], remove: ['2026-12-26'] } });
    const table = structuredClone(adjusted.holidayTable([2025, 2026]));
    expect(table.map(([year]) => year)).toEqual([2025, 2026]);
    const worker = new Calendar({ timezone: AMSTERDAM, holidays: { add: ['05-05=Bevrijdingsdag'], remove: ['2026-12-26'] }, known: table });
    for (const year of [2025, 2026, 2027]) expect(worker.holidaysOf(year)).toEqual(adjusted.holidaysOf(year));
    expect(worker.holidayName(day('2026-05-05'))).toBe('Bevrijdingsdag');
    expect(worker.holidayName(day('2026-12-26'))).toBeUndefined();
    // The table is what the worker goes by for its years: a calendar given an empty year has no day off in it.
    const bare = new Calendar({ timezone: AMSTERDAM, known: [[2026, []]] });
    expect(bare.holidaysOf(2026)).toEqual([]);
    expect(datesOf(bare, 2025)).toEqual(PUBLIC[2025]);
  });

  it('has the days off of the holiday library, from its table for 2000–2100 and from the library outside it (differential)', () => {
    for (let year = NL_FIRST_YEAR; year < NL_FIRST_YEAR + NL_HOLIDAYS.length; year++) {
      expect(calendar.holidaysOf(year), String(year)).toEqual(
        libraryHolidays('NL', year)
          .sort((a, b) => a[0] - b[0])
          .map(([number, name]) => [formatDay(number), name]),
      );
    }
    expect(NL_FIRST_YEAR + NL_HOLIDAYS.length - 1).toBe(2100);
    expect(holidaysTabled([2000, 2026, 2100])).toBe(true);
    expect(holidaysTabled([1999, 2026])).toBe(false);
    expect(holidaysTabled([2101])).toBe(false);
    // Outside the table, the library: Koninginnedag on 30 April 1999, and Koningsdag in 2101.
    expect(calendar.holidayName(day('1999-04-30'))).toBe('Koninginnedag');
    expect(calendar.holidayName(day('2101-04-27'))).toBe('Koningsdag');
  });

  it('computes the table in a thread of its own as in this one, adjustments included', async () => {
    // The built module: its thread runs the compiled holiday-worker.js next to it.
    const built = (await import(pathToFileURL(join(ROOT, 'dist/src/time/calendar.js')).href)) as typeof import('../../src/time/calendar.js');
    const options = { timezone: AMSTERDAM, holidays: { add: ['05-05=Bevrijdingsdag'], remove: ['2026-12-26'] } };
    const table = await built.holidayTableInThread(options, [2025, 2026, 2027]);
    expect(table).toEqual(new Calendar(options).holidayTable([2025, 2026, 2027]));
    expect(table![1]![1].map(([day]) => day)).toContain(day('2026-05-05'));
  });

  it('moves Koningsdag to 26 April when the 27th is a Sunday (2025)', () => {
    expect(calendar.holidayName(day('2025-04-26'))).toBe('Koningsdag');
    expect(calendar.holidayName(day('2025-04-27'))).toBeUndefined();
    expect(calendar.holidayName(day('2026-04-27'))).toBe('Koningsdag');
  });

  it('does not count Goede Vrijdag, Bevrijdingsdag or Oudejaarsdag as days off', () => {
    for (const date of ['2025-04-18', '2026-04-03', '2027-03-26', '2025-05-05', '2026-05-05', '2027-05-05', '2026-12-31', '2026-05-04']) {
      expect(calendar.holidayName(day(date)), date).toBeUndefined();
    }
  });

  it('names each day off', () => {
    for (const [date, name] of calendar.holidaysOf(2026)) expect(name, date).toMatch(/\S/);
    expect(calendar.holidayName(day('2026-12-25'))).toBe(calendar.holidaysOf(2026).find(([date]) => date === '2026-12-25')![1]);
    expect(calendar.holidayName(day('2026-12-27'))).toBeUndefined();
  });

  it('adds one date, or a date every year, with or without a name', () => {
    const adjusted = new Calendar({ timezone: AMSTERDAM, holidays: { add: ['2026-12-24', '05-05=Bevrijdingsdag', ' 12-31=Oudejaarsdag '] } });
    expect(adjusted.holidayName(day('2026-12-24'))).toBe('extra vrije dag');
    expect(adjusted.holidayName(day('2025-12-24'))).toBeUndefined();
    for (const year of [2025, 2026, 2027]) {
      expect(adjusted.holidayName(day(`${year}-05-05`))).toBe('Bevrijdingsdag');
      expect(adjusted.holidayName(day(`${year}-12-31`))).toBe('Oudejaarsdag');
    }
    expect(datesOf(adjusted, 2026)).toEqual([...PUBLIC[2026]!.slice(0, 4), '2026-05-05', ...PUBLIC[2026]!.slice(4), '2026-12-24', '2026-12-31'].sort());
  });

  it('removes one date, or a date every year', () => {
    const adjusted = new Calendar({ timezone: AMSTERDAM, holidays: { remove: ['2026-04-27', '12-26'] } });
    expect(datesOf(adjusted, 2026)).toEqual(PUBLIC[2026]!.filter((date) => date !== '2026-04-27' && date !== '2026-12-26'));
    expect(datesOf(adjusted, 2027)).toEqual(PUBLIC[2027]!.filter((date) => date !== '2027-12-26'));
  });

  it('adds 29 February every year only where it exists', () => {
    const adjusted = new Calendar({ timezone: AMSTERDAM, holidays: { add: ['02-29=schrikkeldag'] } });
    expect(adjusted.holidayName(day('2028-02-29'))).toBe('schrikkeldag');
    expect(datesOf(adjusted, 2027)).toEqual(PUBLIC[2027]);
  });

  it.each(['2026-02-30', '02-30', '5-5', '2026-5-5', '05/05', 'Bevrijdingsdag', '2026-13-01', '', '=naam'])('refuses the adjustment %j with a ConfigError', (text) => {
    expect(() => new Calendar({ timezone: AMSTERDAM, holidays: { add: [text] } })).toThrow(ConfigError);
    expect(() => new Calendar({ timezone: AMSTERDAM, holidays: { remove: [text] } })).toThrow(`holiday '${text}' is not a date`);
  });

  it('refuses an unknown time zone with a ConfigError', () => {
    expect(() => new Calendar({ timezone: 'Amsterdam' })).toThrow(ConfigError);
  });
});

describe('Calendar localParts', () => {
  const calendar = new Calendar({ timezone: AMSTERDAM });
  const table: Array<[string, string, number, number]> = [
    // instant, local date, minute of day, ISO weekday
    ['2026-03-30T17:05:00Z', '2026-03-30', 19 * 60 + 5, 1],
    ['2026-03-30T16:59:59.999Z', '2026-03-30', 18 * 60 + 59, 1],
    ['2026-03-29T21:59:59Z', '2026-03-29', 23 * 60 + 59, 7],
    ['2026-03-29T22:00:00Z', '2026-03-30', 0, 1],
    ['2026-03-28T22:59:00Z', '2026-03-28', 23 * 60 + 59, 6],
    ['2026-03-28T23:00:00Z', '2026-03-29', 0, 7],
    ['2026-03-29T00:59:00Z', '2026-03-29', 60 + 59, 7],
    ['2026-03-29T01:00:00Z', '2026-03-29', 3 * 60, 7],
    ['2026-10-25T00:30:00Z', '2026-10-25', 2 * 60 + 30, 7],
    ['2026-10-25T01:30:00Z', '2026-10-25', 2 * 60 + 30, 7],
    ['2026-10-25T22:59:00Z', '2026-10-25', 23 * 60 + 59, 7],
    ['2026-10-25T23:00:00Z', '2026-10-26', 0, 1],
    ['2025-12-31T22:59:59Z', '2025-12-31', 23 * 60 + 59, 3],
    ['2025-12-31T23:00:00Z', '2026-01-01', 0, 4],
    ['1969-12-31T23:00:00Z', '1970-01-01', 0, 4],
  ];

  it.each(table)('%s is %s, minute %i, weekday %i', (instant, date, minuteOfDay, weekday) => {
    const at = Date.parse(instant);
    expect(calendar.localParts(at)).toEqual({ day: day(date), minuteOfDay, weekday });
    expect(calendar.localDay(at)).toBe(day(date));
    expect(calendar.formatDate(at)).toBe(date);
  });

  it('formats instants with the local offset and exposes its zone', () => {
    expect(calendar.format(Date.parse('2026-03-30T17:05:00Z'))).toBe('2026-03-30T19:05:00+02:00');
    expect(calendar.timezone).toBe(AMSTERDAM);
  });
});

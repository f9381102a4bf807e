import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Holidays from 'date-holidays';
import { ConfigError } from '../errors.js';
import { MS_PER_DAY, MS_PER_MINUTE, dayNumber, formatDay, isoWeekday } from './civil.js';
import { ZoneClock } from './zone.js';
import { NL_FIRST_YEAR, NL_HOLIDAYS, NL_HOLIDAY_NAMES } from './nl-holidays.js';

/** Where an instant falls on the local calendar; what office-hours rules need. */
export interface LocalParts {
  /** Days since 1970-01-01 of the local date. */
  day: number;
  /** Minutes since local midnight, 0–1439. */
  minuteOfDay: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

/**
 * A holiday adjustment as the user writes it: `2026-05-05` (that date), `05-05` (every year), optionally
 * with a name after `=`: `05-05=Bevrijdingsdag`.
 */
export interface HolidayAdjustments {
  add?: readonly string[];
  remove?: readonly string[];
}

/** Days off per year, as a calendar hands them to another thread's calendar: `[year, [[day, name], …]]`. */
export type HolidayTable = Array<[year: number, days: Array<[day: number, name: string]>]>;

/**
 * date-holidays, loaded on first use: its rules and data take some 26 MB per thread, and a worker handed the
 * holidays of the run's years (`HolidayTable`) never needs it.
 */
function holidayLibrary(): typeof Holidays {
  return createRequire(import.meta.url)('date-holidays') as typeof Holidays;
}

/** The public holidays (type `public`) of a country in a year, from the holiday library, by day number. */
export function libraryHolidays(country: string, year: number): Array<[day: number, name: string]> {
  const source = new (holidayLibrary())(country);
  return source
    .getHolidays(year)
    .filter((holiday) => holiday.type === 'public')
    .map((holiday) => {
      const [y, m, d] = holiday.date.slice(0, 10).split('-').map(Number) as [number, number, number];
      return [dayNumber(y, m, d)!, holiday.name];
    });
}

/**
 * The Dutch public holidays of a year from the table made from the holiday library (nl-holidays.ts, `npm
 * run holidays`), or null for a year outside it. Loading the library took 100 ms and 26 MB in every
 * thread that asked for a day off, and a run with workers started a thread of its own to do it.
 */
function tabledHolidays(country: string, year: number): Array<[day: number, name: string]> | null {
  const days = country === 'NL' ? NL_HOLIDAYS[year - NL_FIRST_YEAR] : undefined;
  if (days === undefined) return null;
  const holidays: Array<[number, string]> = [];
  for (let at = 0; at < days.length; at += 2) holidays.push([days[at]!, NL_HOLIDAY_NAMES[days[at + 1]!]!]);
  return holidays;
}

/** Whether every one of `years` has its Dutch public holidays in the table (see tabledHolidays). */
export function holidaysTabled(years: readonly number[]): boolean {
  return years.every((year) => NL_HOLIDAYS[year - NL_FIRST_YEAR] !== undefined);
}

const ADJUSTMENT = /^(?:(\d{4})-)?(\d{2})-(\d{2})(?:=(.+))?$/;

interface ParsedAdjustment {
  year: number | null;
  month: number;
  day: number;
  name: string | null;
}

function parseAdjustment(text: string): ParsedAdjustment {
  const match = ADJUSTMENT.exec(text.trim());
  const year = match?.[1] === undefined ? null : Number(match[1]);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  if (!match || dayNumber(year ?? 2024, month, day) === null) {
    throw new ConfigError(`holiday '${text}' is not a date`, {
      hint: 'write YYYY-MM-DD for one date or MM-DD for every year, optionally followed by =name',
    });
  }
  return { year, month, day, name: match[4]?.trim() ?? null };
}

/**
 * The local calendar of the municipality: time zone, and the days off under the municipal collective
 * agreement (Dutch public holidays from the date-holidays library, type `public`: Nieuwjaarsdag, Eerste en
 * Tweede Paasdag, Koningsdag, Hemelvaartsdag, Eerste en Tweede Pinksterdag, Eerste en Tweede Kerstdag),
 * adjusted with dates to add and remove. Holidays are computed once per year, on first use.
 */
export class Calendar {
  readonly clock: ZoneClock;
  private readonly country: string;
  private readonly additions: ParsedAdjustment[];
  private readonly removals: ParsedAdjustment[];
  private readonly holidaysByYear = new Map<number, Map<number, string>>();
  private lastDay = Number.NaN;
  private lastName: string | undefined;

  /** `known`: days off already computed (by the main thread's calendar, with the same adjustments). */
  constructor(options: { timezone: string; country?: string; holidays?: HolidayAdjustments; known?: HolidayTable }) {
    this.clock = new ZoneClock(options.timezone);
    this.country = options.country ?? 'NL';
    this.additions = (options.holidays?.add ?? []).map(parseAdjustment);
    this.removals = (options.holidays?.remove ?? []).map(parseAdjustment);
    for (const [year, days] of options.known ?? []) this.holidaysByYear.set(year, new Map(days));
  }

  get timezone(): string {
    return this.clock.zone;
  }

  localParts(instant: number): LocalParts {
    const wall = this.clock.wallOf(instant);
    const day = Math.floor(wall / MS_PER_DAY);
    return {
      day,
      minuteOfDay: Math.floor((wall - day * MS_PER_DAY) / MS_PER_MINUTE),
      weekday: isoWeekday(day),
    };
  }

  /** Local date (day number) of an instant. */
  localDay(instant: number): number {
    return Math.floor(this.clock.wallOf(instant) / MS_PER_DAY);
  }

  /** The holiday's name when the day is a day off, else undefined. */
  holidayName(day: number): string | undefined {
    // Lookups come in runs of the same day: answer a repeated day without looking anything up.
    if (day === this.lastDay) return this.lastName;
    const year = new Date(day * MS_PER_DAY).getUTCFullYear();
    let holidays = this.holidaysByYear.get(year);
    if (!holidays) {
      holidays = this.computeHolidays(year);
      this.holidaysByYear.set(year, holidays);
    }
    this.lastDay = day;
    this.lastName = holidays.get(day);
    return this.lastName;
  }

  /** Every day off of a year, in date order, as `[YYYY-MM-DD, name]`: for the summary and the docs. */
  holidaysOf(year: number): Array<[string, string]> {
    this.holidayName(dayNumber(year, 1, 1)!);
    return [...this.holidaysByYear.get(year)!].sort((a, b) => a[0] - b[0]).map(([day, name]) => [formatDay(day), name]);
  }

  /** The days off of `years`, for the calendars of other threads. */
  holidayTable(years: readonly number[]): HolidayTable {
    return years.map((year) => {
      this.holidayName(dayNumber(year, 1, 1)!);
      return [year, [...this.holidaysByYear.get(year)!]];
    });
  }

  /** Formats an instant as ISO 8601 with the local offset. */
  format(instant: number): string {
    return this.clock.format(instant);
  }

  /** Formats the local date of an instant as `YYYY-MM-DD`. */
  formatDate(instant: number): string {
    return formatDay(this.localDay(instant));
  }

  private computeHolidays(year: number): Map<number, string> {
    const days = new Map(tabledHolidays(this.country, year) ?? libraryHolidays(this.country, year));
    const applies = (adjustment: ParsedAdjustment) => adjustment.year === null || adjustment.year === year;
    for (const removal of this.removals.filter(applies)) days.delete(dayNumber(year, removal.month, removal.day) ?? NaN);
    for (const addition of this.additions.filter(applies)) {
      const day = dayNumber(year, addition.month, addition.day);
      if (day !== null) days.set(day, addition.name ?? 'extra vrije dag');
    }
    return days;
  }
}

/**
 * The days off of `years`, computed in a thread of its own that ends when it is done: the holiday library
 * takes some 26 MB in the thread that loads it, and the main thread of a run with workers needs the table
 * only to hand it to them. Null when the thread fails; the caller then computes the table itself.
 */
export function holidayTableInThread(options: { timezone: string; holidays?: HolidayAdjustments }, years: readonly number[]): Promise<HolidayTable | null> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./holiday-worker.js', import.meta.url), { workerData: { ...options, years } });
    worker.once('message', (table: HolidayTable) => {
      resolve(table);
      void worker.terminate();
    });
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
}


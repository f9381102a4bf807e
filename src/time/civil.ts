/**
 * Civil (wall-clock) dates and times as plain numbers: a day is the count of days since 1970-01-01,
 * a wall time is milliseconds since 1970-01-01T00:00 *as if* it were UTC. Cheap to compare and to
 * compute on the per-lookup path, where Date objects and date-fns would cost microseconds.
 */

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Whether year-month-day names a real calendar date (rejects 2026-02-30 and 2026-04-31). */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const max = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  return day <= max;
}

/**
 * Wall time in ms for the given fields, or null when they do not form a real date and time.
 * Hours run 0–23, seconds 0–59 (leap seconds do not occur in these logs).
 */
export function wallTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond = 0,
): number | null {
  if (!isRealDate(year, month, day)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
}

/** Day number of a calendar date, or null when the date is not real. */
export function dayNumber(year: number, month: number, day: number): number | null {
  return isRealDate(year, month, day) ? Date.UTC(year, month - 1, day) / MS_PER_DAY : null;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DUTCH_DATE = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/;

/** Parses `YYYY-MM-DD` or `DD-MM-YYYY` (also with `/`) into a day number; null when not a real date. */
export function parseDay(text: string): number | null {
  // The common form, read without a regular expression (a caseload has two dates per row).
  if (text.length === 10 && text.charCodeAt(4) === 45) {
    const midnight = wallDateAt(text, 0, 10);
    if (midnight !== null) return midnight / MS_PER_DAY;
  }
  const trimmed = text.trim();
  let match = ISO_DATE.exec(trimmed);
  if (match) return dayNumber(Number(match[1]), Number(match[2]), Number(match[3]));
  match = DUTCH_DATE.exec(trimmed);
  if (match) return dayNumber(Number(match[3]), Number(match[2]), Number(match[1]));
  return null;
}

/** `YYYY-MM-DD` of a day number. */
export function formatDay(day: number): string {
  // Lookups come in runs of the same day, and per-period rules ask for every lookup: a repeat is answered
  // without formatting (a Date and toISOString took 13% of a worker's time with every rule).
  if (day !== lastFormatted.day) lastFormatted = { day, text: new Date(day * MS_PER_DAY).toISOString().slice(0, 10) };
  return lastFormatted.text;
}

let lastFormatted = { day: Number.NaN, text: '' };

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Reads `count` decimal digits at `position`, or -1 when one of them is not a digit. */
export function digitsAt(text: string, position: number, count: number): number {
  let value = 0;
  for (let index = position; index < position + count; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Wall time of midnight of the `YYYY-MM-DD` in `text` from `start` to `end`; null when not a real date. */
export function wallDateAt(text: string, start: number, end: number): number | null {
  if (end - start !== 10 || text.charCodeAt(start + 4) !== 45 || text.charCodeAt(start + 7) !== 45) return null;
  const year = digitsAt(text, start, 4);
  const month = digitsAt(text, start + 5, 2);
  const day = digitsAt(text, start + 8, 2);
  if ((year | month | day) < 0 || !isRealDate(year, month, day)) return null;
  return Date.UTC(year, month - 1, day);
}

/** Milliseconds since midnight of `HH:MM:SS` or `HH:MM:SS.f` … `HH:MM:SS.fff` from `start` to `end`; null when not a real time. */
export function clockAt(text: string, start: number, end: number): number | null {
  const length = end - start;
  if (length < 8 || length === 9 || length > 12 || text.charCodeAt(start + 2) !== 58 || text.charCodeAt(start + 5) !== 58) return null;
  if (length > 8 && text.charCodeAt(start + 8) !== 46) return null;
  const hour = digitsAt(text, start, 2);
  const minute = digitsAt(text, start + 3, 2);
  const second = digitsAt(text, start + 6, 2);
  const fraction = length > 9 ? digitsAt(text, start + 9, length - 9) : 0;
  if ((hour | minute | second | fraction) < 0 || hour > 23 || minute > 59 || second > 59) return null;
  const millisecond = length === 10 ? fraction * 100 : length === 11 ? fraction * 10 : fraction;
  return ((hour * 60 + minute) * 60 + second) * 1000 + millisecond;
}

/** The JSON Schema of a clock time `HH:MM` (00:00–23:59), as rule options and the config write it. */
export const CLOCK_SCHEMA = { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' } as const;

/** Minutes since midnight of a clock time `HH:MM` that CLOCK_SCHEMA accepted. */
export function minutesOfClock(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

import { TZDate, tz } from '@date-fns/tz';
import { isValid, parse } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { compileTimestampPattern, epochParser, parseIsoTimestamp } from '../../src/time/timestamp.js';
import { ZoneClock } from '../../src/time/zone.js';
import { prng } from '../support/prng.js';

const AMSTERDAM = 'Europe/Amsterdam';
const clock = new ZoneClock(AMSTERDAM);
const HOUR = 3_600_000;

describe('parseIsoTimestamp', () => {
  const table: Array<[string, string | null]> = [
    ['2026-04-02T09:15:03.120+02:00', '2026-04-02T07:15:03.120Z'],
    ['2026-04-02T09:15:03.120+01:00', '2026-04-02T08:15:03.120Z'],
    ['2026-04-02T09:15:03Z', '2026-04-02T09:15:03.000Z'],
    ['2026-04-02t09:15:03z', '2026-04-02T09:15:03.000Z'],
    ['2026-04-02T09:15:03,5Z', '2026-04-02T09:15:03.500Z'],
    ['2026-04-02T09:15:03.123456789Z', '2026-04-02T09:15:03.123Z'],
    ['2026-04-02T09:15:03-05', '2026-04-02T14:15:03.000Z'],
    ['2026-04-02T09:15:03+0530', '2026-04-02T03:45:03.000Z'],
    ['2026-04-02T09:15:03+25:00', null],
    ['2026-04-02T09:15:03+02:75', null],
    ['2026-04-02T09:15:03 +02:00', '2026-04-02T07:15:03.000Z'],
    ['  2026-04-02T09:15:03Z  ', '2026-04-02T09:15:03.000Z'],
    ['2026-04-02T09:15:03', '2026-04-02T07:15:03.000Z'],
    ['2026-04-02 09:15', '2026-04-02T07:15:00.000Z'],
    ['2026-01-15T09:15:03.7', '2026-01-15T08:15:03.700Z'],
    ['2026-03-30T19:05:00', '2026-03-30T17:05:00.000Z'],
    ['2026-03-29T02:30:00', '2026-03-29T01:30:00.000Z'],
    ['2026-10-25T02:30:00', '2026-10-25T00:30:00.000Z'],
    ['2028-02-29T12:00:00Z', '2028-02-29T12:00:00.000Z'],
    ['2026-02-29T12:00:00Z', null],
    ['2026-04-31T12:00:00', null],
    ['2026-04-02T24:00:00', null],
    ['2026-04-02T09:60:00', null],
    ['2026-04-02T09:15:60', null],
    ['2026-04-02', null],
    ['2026-04-02T09', null],
    ['2026-04-02T09:15:03+2', null],
    ['2026-04-02T09:15:03.Z', null],
    ['02-04-2026 09:15', null],
    ['20260402T091503Z', null],
    ['', null],
  ];
  it.each(table)('%j → %s', (text, expected) => {
    const instant = parseIsoTimestamp(text, clock);
    expect(instant === null ? null : new Date(instant).toISOString()).toBe(expected);
  });
});

describe('epochParser', () => {
  it('reads seconds and milliseconds, as numbers in text, and refuses the rest', () => {
    const seconds = epochParser('epoch-s');
    const ms = epochParser('epoch-ms');
    expect(seconds('1774890300')).toBe(Date.parse('2026-03-30T17:05:00Z'));
    expect(seconds('1774890300.25')).toBe(Date.parse('2026-03-30T17:05:00.250Z'));
    expect(ms(' 1774890300250 ')).toBe(Date.parse('2026-03-30T17:05:00.250Z'));
    expect([ms(''), ms('  '), ms('abc'), ms('12:00'), seconds('Infinity')]).toEqual([null, null, null, null, null]);
  });
});


type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number };

/** Renders parts with a date-fns pattern: fixed-width tokens padded, one-letter tokens padded or not at random. */
function render(pattern: string, parts: Parts, random: () => number): string {
  const values: Record<string, string> = {
    yyyy: String(parts.year).padStart(4, '0'),
    MM: String(parts.month).padStart(2, '0'),
    M: random() < 0.5 ? String(parts.month) : String(parts.month).padStart(2, '0'),
    dd: String(parts.day).padStart(2, '0'),
    d: random() < 0.5 ? String(parts.day) : String(parts.day).padStart(2, '0'),
    HH: String(parts.hour).padStart(2, '0'),
    H: random() < 0.5 ? String(parts.hour) : String(parts.hour).padStart(2, '0'),
    mm: String(parts.minute).padStart(2, '0'),
    ss: String(parts.second).padStart(2, '0'),
    SSS: String(parts.ms).padStart(3, '0'),
  };
  return pattern.replace(/yyyy|SSS|MM|dd|HH|mm|ss|M|d|H/g, (token) => values[token]!);
}

function randomParts(random: () => number): Parts {
  const pick = (from: number, to: number) => from + Math.floor(random() * (to - from + 1));
  const near = random();
  if (near < 0.3) {
    // the nights the clocks change, including the skipped and the repeated hour
    const [month, day] = ([[3, 29], [10, 25], [3, 30], [10, 26]] as const)[pick(0, 3)]!;
    return { year: 2026, month, day, hour: pick(0, 4), minute: pick(0, 59), second: pick(0, 59), ms: pick(0, 999) };
  }
  if (near < 0.55) {
    // out of range somewhere: day 0/31+/30 Feb, month 0/13, hour 24, minute or second 60
    return { year: pick(2024, 2027), month: pick(0, 13), day: pick(28, 32) % 33, hour: pick(0, 24), minute: pick(0, 60), second: pick(0, 60), ms: pick(0, 999) };
  }
  return { year: pick(1999, 2035), month: pick(1, 12), day: pick(1, 28), hour: pick(0, 23), minute: pick(0, 59), second: pick(0, 59), ms: pick(0, 999) };
}

/** date-fns's reading of the text: its wall-clock fields (read in UTC, so no zone touches them), or null. */
function dateFnsWall(text: string, pattern: string): Parts | null {
  const date = parse(text, pattern, new Date(0), { in: tz('UTC') });
  if (!isValid(date)) return null;
  return {
    year: date.getFullYear(),
    month: date.getMonth() + 1,
    day: date.getDate(),
    hour: date.getHours(),
    minute: date.getMinutes(),
    second: date.getSeconds(),
    ms: date.getMilliseconds(),
  };
}

/** Amsterdam wall time → instant with @date-fns/tz; the repeated autumn hour as its first occurrence, as zone.ts documents. */
function amsterdamInstant(wall: Parts): number {
  const instant = TZDate.tz(AMSTERDAM, wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.ms).getTime();
  const earlier = new TZDate(instant - HOUR, AMSTERDAM);
  const sameWall = earlier.getDate() === wall.day && earlier.getHours() === wall.hour && earlier.getMinutes() === wall.minute;
  return sameWall ? earlier.getTime() : instant;
}

describe('compileTimestampPattern against date-fns parse', () => {
  const patterns = [
    'dd-MM-yyyy HH:mm:ss',
    'd-M-yyyy H:mm:ss',
    'yyyy-MM-dd HH:mm',
    'dd/MM/yyyy HH:mm:ss.SSS',
    'yyyy-MM-dd HH:mm:ss,SSS',
    'yyyyMMddHHmmss',
    'd.M.yyyy H:mm',
    '(dd) MM yyyy [HH:mm]',
  ];

  it.each(patterns)('reads 300 generated timestamps in %j as date-fns does', (pattern) => {
    const random = prng(pattern.length * 7919);
    const compiled = compile(pattern);
    let valid = 0;
    let repeated = 0;
    const problems: string[] = [];
    for (let index = 0; index < 300; index++) {
      const text = render(pattern, randomParts(random), random);
      const wall = dateFnsWall(text, pattern);
      const ours = compiled(text);
      if (wall === null) {
        if (ours !== null) problems.push(`${text}: date-fns refuses, ours ${new Date(ours).toISOString()}`);
        continue;
      }
      valid++;
      const expected = amsterdamInstant(wall);
      if (expected !== TZDate.tz(AMSTERDAM, wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.ms).getTime()) repeated++;
      if (ours !== expected) problems.push(`${text}: ours ${ours === null ? null : new Date(ours).toISOString()}, date-fns ${new Date(expected).toISOString()}`);
    }
    expect(problems).toEqual([]);
    // both outcomes, and the repeated hour, must occur for the comparison to mean something
    expect(valid).toBeGreaterThan(150);
    expect(valid).toBeLessThan(300);
    expect(repeated).toBeGreaterThan(0);
  });

  it('reads impossible dates and times as null', () => {
    const compiled = compile('dd-MM-yyyy HH:mm:ss');
    expect(['30-02-2026 10:00:00', '31-04-2026 10:00:00', '29-02-2026 10:00:00', '00-01-2026 10:00:00', '01-13-2026 10:00:00', '01-01-2026 24:00:00', '01-01-2026 10:60:00', '01-01-2026 10:00:60'].map(compiled)).toEqual([
      null, null, null, null, null, null, null, null,
    ]);
    expect(compiled('29-02-2028 10:00:00')).toBe(Date.parse('2028-02-29T09:00:00Z'));
  });

  it('reads wall times in the clock zone, with the documented skipped and repeated hour', () => {
    const compiled = compile('dd-MM-yyyy HH:mm');
    expect(compiled('30-03-2026 19:05')).toBe(Date.parse('2026-03-30T17:05:00Z'));
    expect(compiled('29-03-2026 02:30')).toBe(Date.parse('2026-03-29T01:30:00Z'));
    expect(compiled('25-10-2026 02:30')).toBe(Date.parse('2026-10-25T00:30:00Z'));
    expect(compile('dd-MM-yyyy HH:mm', new ZoneClock('UTC'))('30-03-2026 19:05')).toBe(Date.parse('2026-03-30T19:05:00Z'));
  });

  it('trims the text, and refuses other shapes', () => {
    const compiled = compile('dd-MM-yyyy HH:mm');
    expect(compiled(' 30-03-2026 19:05 ')).toBe(Date.parse('2026-03-30T17:05:00Z'));
    expect(['30-3-2026 19:05', '30-03-2026 19:05:00', '2026-03-30 19:05', '30-03-2026T19:05', ''].map(compiled)).toEqual([null, null, null, null, null]);
  });

  it.each(['dd-MM-yyyy', 'MM-yyyy HH:mm', 'dd-yyyy HH:mm', 'dd-MM HH:mm', 'dd-MM-yyyy HH'])('refuses the pattern %j that lacks a part', (pattern) => {
    expect(compileTimestampPattern(pattern, clock)).toEqual({ reason: expect.stringMatching(/^no (year|month|day|hour|minute) in the pattern$/) });
  });

  it('reads quoted literals as date-fns does, and refuses tokens it does not support', () => {
    expect(compile("yyyy-MM-dd'T'HH:mm:ss")('2026-03-30T19:05:00')).toBe(Date.parse('2026-03-30T17:05:00Z'));
    expect(compile("dd-MM-yyyy 'om' HH:mm 'uur'")('30-03-2026 om 19:05 uur')).toBe(Date.parse('2026-03-30T17:05:00Z'));
    expect(compile("yyyy-MM-dd HH:mm 'o''clock'")("2026-03-30 19:05 o'clock")).toBe(Date.parse('2026-03-30T17:05:00Z'));
    expect(compileTimestampPattern('dd-MM-yy HH:mm', clock)).toEqual({ reason: "token 'yy' is not supported" });
    expect(compileTimestampPattern('dd MMM yyyy HH:mm', clock)).toEqual({ reason: "token 'MMM' is not supported" });
  });
});

function compile(pattern: string, zone: ZoneClock = clock) {
  const compiled = compileTimestampPattern(pattern, zone);
  if (typeof compiled !== 'function') throw new Error(compiled.reason);
  return compiled;
}

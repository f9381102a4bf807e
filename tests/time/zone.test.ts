import { TZDate, tzOffset } from '@date-fns/tz';
import { format as formatDate } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { ZoneClock } from '../../src/time/zone.js';

const AMSTERDAM = 'Europe/Amsterdam';
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** ISO 8601 with offset as date-fns writes it; milliseconds only when not zero, like ZoneClock.format. */
function dateFnsFormat(instant: number, zone: string): string {
  const date = new TZDate(instant, zone);
  return formatDate(date, instant % 1000 === 0 ? "yyyy-MM-dd'T'HH:mm:ssXXX" : "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
}

/** The EU rule, independent of any library: summer time from 01:00Z on the last Sunday of March to 01:00Z on the last Sunday of October. */
function euTransitions(year: number): { spring: number; autumn: number } {
  const lastSunday = (month: number) => {
    const last = new Date(Date.UTC(year, month + 1, 0));
    return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
  };
  return { spring: lastSunday(2), autumn: lastSunday(9) };
}

function euOffset(instant: number): number {
  const { spring, autumn } = euTransitions(new Date(instant).getUTCFullYear());
  return instant >= spring && instant < autumn ? 120 : 60;
}

const YEARS = [2024, 2025, 2026, 2027];
const start = Date.UTC(2024, 0, 1);
const end = Date.UTC(2028, 0, 1);

/** Every hour of 2024–2027, plus every quarter hour (and the millisecond before) within three hours of a transition. */
function instantsToCheck(): number[] {
  const instants: number[] = [];
  for (let instant = start; instant < end; instant += HOUR) instants.push(instant);
  for (const year of YEARS) {
    for (const transition of Object.values(euTransitions(year))) {
      for (let instant = transition - 3 * HOUR; instant <= transition + 3 * HOUR; instant += 15 * MINUTE) instants.push(instant, instant - 1);
    }
  }
  return instants;
}

describe('ZoneClock against @date-fns/tz, Europe/Amsterdam 2024–2027', () => {
  const instants = instantsToCheck();

  it('has the offsets of date-fns/tz and of the EU rule at every hour and around every transition', () => {
    expect(instants.length).toBeGreaterThan(35_000);
    const clock = new ZoneClock(AMSTERDAM);
    const disagreements: string[] = [];
    for (const instant of instants) {
      const offset = clock.offsetAt(instant);
      const tzDate = -new TZDate(instant, AMSTERDAM).getTimezoneOffset();
      if (offset !== tzDate || offset !== tzOffset(AMSTERDAM, new Date(instant)) || offset !== euOffset(instant)) {
        disagreements.push(`${new Date(instant).toISOString()}: ${offset} vs ${tzDate}/${euOffset(instant)}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('formats every one of those instants as date-fns does', () => {
    const clock = new ZoneClock(AMSTERDAM);
    const disagreements: string[] = [];
    for (const instant of instants) {
      const ours = clock.format(instant);
      const theirs = dateFnsFormat(instant, AMSTERDAM);
      if (ours !== theirs) disagreements.push(`${ours} vs ${theirs}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('formats milliseconds only when they are not zero', () => {
    const clock = new ZoneClock(AMSTERDAM);
    expect(clock.format(Date.parse('2026-03-30T17:05:00Z'))).toBe('2026-03-30T19:05:00+02:00');
    expect(clock.format(Date.parse('2026-03-30T17:05:00.120Z'))).toBe('2026-03-30T19:05:00.120+02:00');
    expect(clock.format(Date.parse('2026-01-01T00:00:00.001Z'))).toBe('2026-01-01T01:00:00.001+01:00');
  });

  it('round-trips every existing wall hour and quarter hour, and agrees with TZDate where the wall time is unambiguous', () => {
    const forward = new ZoneClock(AMSTERDAM);
    const backward = new ZoneClock(AMSTERDAM);
    const walls: number[] = [];
    for (let wall = start; wall < end; wall += HOUR) walls.push(wall);
    for (const year of YEARS) {
      for (const transition of Object.values(euTransitions(year))) {
        for (let wall = transition - HOUR; wall <= transition + 5 * HOUR; wall += 15 * MINUTE) walls.push(wall, wall + 59_999);
      }
    }
    const gapsAndRepeats = new Set<number>();
    for (const year of YEARS) {
      const { spring, autumn } = euTransitions(year);
      // In wall time, both the skipped and the repeated hour are 02:00–03:00 local.
      gapsAndRepeats.add(spring + HOUR).add(autumn + HOUR);
    }
    const inSpecialHour = (wall: number) => [...gapsAndRepeats].some((from) => wall >= from && wall < from + HOUR);
    const problems: string[] = [];
    let checked = 0;
    for (const wall of walls) {
      if (inSpecialHour(wall)) continue;
      checked++;
      const instant = forward.instantOf(wall);
      if (forward.wallOf(instant) !== wall) problems.push(`round trip ${new Date(wall).toISOString()}`);
      const date = new Date(wall);
      const theirs = TZDate.tz(AMSTERDAM, date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()).getTime();
      if (instant !== theirs) problems.push(`TZDate ${new Date(wall).toISOString()}: ${instant} vs ${theirs}`);
    }
    // The same answers when the cache is filled in the opposite order.
    for (const wall of [...walls].reverse()) {
      if (backward.instantOf(wall) !== forward.instantOf(wall)) problems.push(`order ${new Date(wall).toISOString()}`);
    }
    expect(checked).toBeGreaterThan(35_000);
    expect(problems).toEqual([]);
  });

  it('reads the skipped spring hour with the offset from before the change: 2026-03-29 02:30 → 01:30Z', () => {
    const clock = new ZoneClock(AMSTERDAM);
    const table: Array<[number, string]> = [
      [Date.UTC(2026, 2, 29, 1, 59, 59), '2026-03-29T00:59:59.000Z'],
      [Date.UTC(2026, 2, 29, 2, 0), '2026-03-29T01:00:00.000Z'],
      [Date.UTC(2026, 2, 29, 2, 30), '2026-03-29T01:30:00.000Z'],
      [Date.UTC(2026, 2, 29, 2, 59, 59, 999), '2026-03-29T01:59:59.999Z'],
      [Date.UTC(2026, 2, 29, 3, 0), '2026-03-29T01:00:00.000Z'],
      [Date.UTC(2026, 2, 29, 3, 30), '2026-03-29T01:30:00.000Z'],
    ];
    expect(table.map(([wall]) => new Date(clock.instantOf(wall)).toISOString())).toEqual(table.map(([, expected]) => expected));
  });

  it('reads the repeated autumn hour as its first occurrence: 2026-10-25 02:30 → 00:30Z', () => {
    const clock = new ZoneClock(AMSTERDAM);
    const table: Array<[number, string]> = [
      [Date.UTC(2026, 9, 25, 1, 59), '2026-10-24T23:59:00.000Z'],
      [Date.UTC(2026, 9, 25, 2, 0), '2026-10-25T00:00:00.000Z'],
      [Date.UTC(2026, 9, 25, 2, 30), '2026-10-25T00:30:00.000Z'],
      [Date.UTC(2026, 9, 25, 2, 59, 59, 999), '2026-10-25T00:59:59.999Z'],
      [Date.UTC(2026, 9, 25, 3, 0), '2026-10-25T02:00:00.000Z'],
    ];
    expect(table.map(([wall]) => new Date(clock.instantOf(wall)).toISOString())).toEqual(table.map(([, expected]) => expected));
    // both passes through 02:30 show as 02:30 on the wall
    expect(clock.format(Date.parse('2026-10-25T00:30:00Z'))).toBe('2026-10-25T02:30:00+02:00');
    expect(clock.format(Date.parse('2026-10-25T01:30:00Z'))).toBe('2026-10-25T02:30:00+01:00');
  });

  it('reads 19:05 on 30 March 2026 as 17:05Z', () => {
    const clock = new ZoneClock(AMSTERDAM);
    expect(clock.instantOf(Date.UTC(2026, 2, 30, 19, 5))).toBe(Date.parse('2026-03-30T17:05:00Z'));
    expect(clock.wallOf(Date.parse('2026-03-30T17:05:00Z'))).toBe(Date.UTC(2026, 2, 30, 19, 5));
  });
});

describe('ZoneClock in America/New_York', () => {
  const zone = 'America/New_York';

  it('has the offsets and formats of date-fns/tz around the 2026 transitions', () => {
    const clock = new ZoneClock(zone);
    const problems: string[] = [];
    for (const transition of [Date.parse('2026-03-08T07:00:00Z'), Date.parse('2026-11-01T06:00:00Z')]) {
      for (let instant = transition - 6 * HOUR; instant <= transition + 6 * HOUR; instant += 15 * MINUTE) {
        for (const at of [instant - 1, instant]) {
          if (clock.offsetAt(at) !== -new TZDate(at, zone).getTimezoneOffset()) problems.push(`offset ${at}`);
          if (clock.format(at) !== dateFnsFormat(at, zone)) problems.push(`format ${clock.format(at)} vs ${dateFnsFormat(at, zone)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(clock.format(Date.parse('2026-03-08T06:59:59Z'))).toBe('2026-03-08T01:59:59-05:00');
    expect(clock.format(Date.parse('2026-03-08T07:00:00Z'))).toBe('2026-03-08T03:00:00-04:00');
  });

  it('resolves the skipped and the repeated hour like Amsterdam', () => {
    const clock = new ZoneClock(zone);
    const table: Array<[number, string]> = [
      [Date.UTC(2026, 2, 8, 1, 30), '2026-03-08T06:30:00.000Z'],
      [Date.UTC(2026, 2, 8, 2, 30), '2026-03-08T07:30:00.000Z'],
      [Date.UTC(2026, 2, 8, 3, 30), '2026-03-08T07:30:00.000Z'],
      [Date.UTC(2026, 10, 1, 0, 30), '2026-11-01T04:30:00.000Z'],
      [Date.UTC(2026, 10, 1, 1, 30), '2026-11-01T05:30:00.000Z'],
      [Date.UTC(2026, 10, 1, 2, 30), '2026-11-01T07:30:00.000Z'],
      [Date.UTC(2026, 6, 4, 12, 0), '2026-07-04T16:00:00.000Z'],
      [Date.UTC(2026, 0, 15, 12, 0), '2026-01-15T17:00:00.000Z'],
    ];
    expect(table.map(([wall]) => new Date(clock.instantOf(wall)).toISOString())).toEqual(table.map(([, expected]) => expected));
  });
});

describe('ZoneClock zones', () => {
  it('refuses an unknown zone with a ConfigError', () => {
    expect(() => new ZoneClock('Europe/Amsterdamm')).toThrow(ConfigError);
    expect(() => new ZoneClock('CET+1')).toThrow("unknown time zone 'CET+1'");
  });

  it('formats a zone with a half-hour offset', () => {
    const clock = new ZoneClock('Asia/Kolkata');
    expect(clock.format(Date.parse('2026-03-30T17:05:00Z'))).toBe('2026-03-30T22:35:00+05:30');
    expect(clock.instantOf(Date.UTC(2026, 2, 30, 22, 35))).toBe(Date.parse('2026-03-30T17:05:00Z'));
  });
});

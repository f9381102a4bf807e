import { tzOffset } from '@date-fns/tz';
import { ConfigError } from '../errors.js';
import { MS_PER_DAY, MS_PER_MINUTE } from './civil.js';

/**
 * Converts between instants and wall-clock time in one IANA time zone.
 *
 * Offsets are looked up once per quarter of an hour and cached, so the per-lookup cost is a Map read;
 * date-fns/tz (and so Intl) is only asked on a cache miss. Every real zone changes its offset on a
 * quarter-hour boundary, which is what makes the cache exact.
 *
 * Wall times that do not exist or exist twice are resolved like Temporal's `compatible` disambiguation:
 * - the hour that is skipped in spring (02:00–03:00 in Amsterdam) is read with the offset from before
 *   the change, so 02:30 becomes 01:30 UTC (= 03:30 summer time): nothing is rejected, nothing moves back;
 * - the hour that repeats in autumn (02:00–03:00 in Amsterdam) is read as its first occurrence, still in
 *   summer time (+02:00). BKWI's layouts carry no offset, so the second pass cannot be told apart.
 */
export class ZoneClock {
  private readonly offsetByUtcQuarter = new Map<number, number>();
  private readonly offsetByWallQuarter = new Map<number, number>();
  private lastUtcQuarter = Number.NaN;
  private lastUtcOffset = 0;
  private lastWallQuarter = Number.NaN;
  private lastWallOffset = 0;

  constructor(readonly zone: string) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
    } catch {
      throw new ConfigError(`unknown time zone '${zone}'`, { hint: 'use an IANA name such as Europe/Amsterdam' });
    }
  }

  /** UTC offset in minutes at an instant (Amsterdam: 60 in winter, 120 in summer). */
  offsetAt(instant: number): number {
    const quarter = Math.floor(instant / (15 * MS_PER_MINUTE));
    // Consecutive lookups mostly fall in the same quarter hour: skip the Map then.
    if (quarter === this.lastUtcQuarter) return this.lastUtcOffset;
    let offset = this.offsetByUtcQuarter.get(quarter);
    if (offset === undefined) {
      offset = tzOffset(this.zone, new Date(quarter * 15 * MS_PER_MINUTE));
      this.offsetByUtcQuarter.set(quarter, offset);
    }
    this.lastUtcQuarter = quarter;
    this.lastUtcOffset = offset;
    return offset;
  }

  /** The instant of a wall time in this zone (see the class comment for skipped and repeated times). */
  instantOf(wall: number): number {
    const quarter = Math.floor(wall / (15 * MS_PER_MINUTE));
    if (quarter === this.lastWallQuarter) return wall - this.lastWallOffset * MS_PER_MINUTE;
    let offset = this.offsetByWallQuarter.get(quarter);
    if (offset === undefined) {
      offset = this.resolveWallOffset(quarter * 15 * MS_PER_MINUTE);
      this.offsetByWallQuarter.set(quarter, offset);
    }
    this.lastWallQuarter = quarter;
    this.lastWallOffset = offset;
    return wall - offset * MS_PER_MINUTE;
  }

  /** The wall time of an instant in this zone. */
  wallOf(instant: number): number {
    return instant + this.offsetAt(instant) * MS_PER_MINUTE;
  }

  /** ISO 8601 with the zone's offset: `2026-03-30T19:05:00+02:00` (milliseconds only when not zero). */
  format(instant: number): string {
    const offset = this.offsetAt(instant);
    const wall = new Date(instant + offset * MS_PER_MINUTE).toISOString();
    const clock = wall.endsWith('.000Z') ? wall.slice(0, 19) : wall.slice(0, 23);
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    // Joined, not concatenated: a concatenation is kept as a tree of its pieces (256 bytes against 56 for
    // the flat string), and a run whose reference data does not fit the logs keeps two per finding.
    return [clock, sign, pad2(Math.floor(abs / 60)), ':', pad2(abs % 60)].join('');
  }

  private resolveWallOffset(wall: number): number {
    // No zone changes its offset twice within two days, so the offsets a day before and a day after
    // are the only candidates.
    const before = this.offsetAt(wall - MS_PER_DAY);
    const after = this.offsetAt(wall + MS_PER_DAY);
    if (before === after) return before;
    for (const candidate of [before, after]) {
      if (this.offsetAt(wall - candidate * MS_PER_MINUTE) === candidate) return candidate;
    }
    return before;
  }
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

import { MS_PER_MINUTE, wallTime } from './civil.js';
import type { ZoneClock } from './zone.js';

/**
 * Timestamps of the mapped layouts (CSV, NDJSON, JSON). Parsed with precompiled regular expressions rather
 * than date-fns `parse`, which costs microseconds per call on the per-lookup path; the compiled patterns are
 * tested against date-fns on the same inputs.
 */
export type TimestampParser = (text: string) => number | null;

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function fractionToMs(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Math.floor(Number(fraction.padEnd(3, '0').slice(0, 3)));
}

/** Offset in minutes, or null when it is not a real one (hours beyond 14, minutes beyond 59). */
function offsetMinutes(designator: string): number | null {
  if (designator === 'Z' || designator === 'z') return 0;
  const sign = designator[0] === '-' ? -1 : 1;
  const digits = designator.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4) || '0');
  return hours > 14 || minutes > 59 ? null : sign * (hours * 60 + minutes);
}

/**
 * ISO 8601 date-time: `2026-04-02T09:15:03.120+02:00`, `…Z`, or without an offset (then local time in the
 * clock's zone). A timestamp with an explicit offset keeps it.
 */
export function parseIsoTimestamp(text: string, clock: ZoneClock): number | null {
  const match = ISO.exec(text.trim());
  if (!match) return null;
  const wall = wallTime(
    Number(match[1]),
    Number(match[2]),
    Number(match[3]),
    Number(match[4]),
    Number(match[5]),
    Number(match[6] ?? '0'),
    fractionToMs(match[7]),
  );
  if (wall === null) return null;
  if (match[8] === undefined) return clock.instantOf(wall);
  const offset = offsetMinutes(match[8]);
  return offset === null ? null : wall - offset * MS_PER_MINUTE;
}

const TOKENS: Record<string, { pattern: string; field: 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'ms' }> = {
  yyyy: { pattern: '(\\d{4})', field: 'year' },
  MM: { pattern: '(\\d{2})', field: 'month' },
  M: { pattern: '(\\d{1,2})', field: 'month' },
  dd: { pattern: '(\\d{2})', field: 'day' },
  d: { pattern: '(\\d{1,2})', field: 'day' },
  HH: { pattern: '(\\d{2})', field: 'hour' },
  H: { pattern: '(\\d{1,2})', field: 'hour' },
  mm: { pattern: '(\\d{2})', field: 'minute' },
  ss: { pattern: '(\\d{2})', field: 'second' },
  SSS: { pattern: '(\\d{3})', field: 'ms' },
};
/** A quoted literal (`'T'`, `''` for a quote), or a run of one letter repeated: a token, as in date-fns. */
const PART = /'((?:[^']|'')*)'|([A-Za-z])\2*/g;

/**
 * Compiles a date-fns style pattern (`dd-MM-yyyy HH:mm:ss`, `yyyy-MM-dd'T'HH:mm:ss`; tokens yyyy M MM d dd
 * H HH mm ss SSS, text in single quotes literal, punctuation literal) into a parser of local wall times in
 * the clock's zone. Returns a reason instead when the pattern uses another letter token or lacks a year,
 * month, day, hour or minute.
 */
export function compileTimestampPattern(pattern: string, clock: ZoneClock): TimestampParser | { reason: string } {
  const fields: Array<(typeof TOKENS)[string]['field']> = [];
  let source = '';
  let last = 0;
  for (const match of pattern.matchAll(PART)) {
    source += escapeRegExp(pattern.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[1] !== undefined) {
      source += escapeRegExp(match[1].replaceAll("''", "'"));
      continue;
    }
    const token = TOKENS[match[0]];
    if (!token) return { reason: `token '${match[0]}' is not supported` };
    source += token.pattern;
    fields.push(token.field);
  }
  source += escapeRegExp(pattern.slice(last));
  for (const required of ['year', 'month', 'day', 'hour', 'minute'] as const) {
    if (!fields.includes(required)) return { reason: `no ${required} in the pattern` };
  }
  const regex = new RegExp(`^${source}$`);
  return (text: string) => {
    const match = regex.exec(text.trim());
    if (!match) return null;
    const value = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, ms: 0 };
    fields.forEach((field, index) => {
      value[field] = Number(match[index + 1]);
    });
    const wall = wallTime(value.year, value.month, value.day, value.hour, value.minute, value.second, value.ms);
    return wall === null ? null : clock.instantOf(wall);
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Epoch seconds or milliseconds, as a number or a numeric string. */
export function epochParser(unit: 'epoch-s' | 'epoch-ms'): TimestampParser {
  const factor = unit === 'epoch-s' ? 1000 : 1;
  return (text: string) => {
    const value = Number(text);
    return text.trim() !== '' && Number.isFinite(value) ? Math.round(value * factor) : null;
  };
}

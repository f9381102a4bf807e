import { wallTime } from '../time/civil.js';
import { LastValue, LookupRecord, bsnOfRawKeys, digitsAt, type ParseContext, type RecordParser } from './record.js';

/**
 * SI Upgrade "raadpleegpersoon" log, record version 5: 16 plain comma-separated fields, no quoting
 * (positions in DOMAIN.md). Date and time are local without offset.
 */
export const V5_FIELDS = 16;

const SIGNATURE = /^5,[0-9A-Fa-f-]{36},/;

export function isV5Line(text: string): boolean {
  return SIGNATURE.test(text);
}

/** URL-decoding of field 12 (`Dummy+Gemeente+Veenendaal`); a malformed escape keeps the text as it is. */
function decodeFormValue(text: string): string {
  const spaced = text.replaceAll('+', ' ');
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Reads date `YYYY-MM-DD` and time `HH:MM:SS[.mmm]` into a wall time; null when malformed or impossible. */
function wallOf(text: string, date: number, dateEnd: number, time: number, timeEnd: number): number | null {
  if (dateEnd - date !== 10 || text.charCodeAt(date + 4) !== 45 || text.charCodeAt(date + 7) !== 45) return null;
  const length = timeEnd - time;
  if (length < 8 || length === 9 || length > 12 || text.charCodeAt(time + 2) !== 58 || text.charCodeAt(time + 5) !== 58) return null;
  if (length > 8 && text.charCodeAt(time + 8) !== 46) return null;
  const year = digitsAt(text, date, 4);
  const month = digitsAt(text, date + 5, 2);
  const day = digitsAt(text, date + 8, 2);
  const hour = digitsAt(text, time, 2);
  const minute = digitsAt(text, time + 3, 2);
  const second = digitsAt(text, time + 6, 2);
  const fraction = length > 9 ? digitsAt(text, time + 9, length - 9) : 0;
  if ((year | month | day | hour | minute | second | fraction) < 0) return null;
  const millisecond = length === 10 ? fraction * 100 : length === 11 ? fraction * 10 : fraction;
  return wallTime(year, month, day, hour, minute, second, millisecond);
}

/** A parser of v5 lines for one file (or chunk of it). */
export function v5Parser(context: ParseContext): RecordParser {
  const starts = new Int32Array(V5_FIELDS + 1);
  const ends = new Int32Array(V5_FIELDS + 1);
  const { clock, intern, file, source } = context;
  const field = (text: string, index: number) => text.slice(starts[index], ends[index]);
  const last = <T>(make: (raw: string) => T) => {
    const cache = new LastValue(make);
    return (text: string, index: number) => cache.get(text, starts[index]!, ends[index]!);
  };
  const login = last((raw) => intern.string(raw));
  const userName = last((raw) => intern.orNull(raw));
  const roles = last((raw) => intern.roles(raw));
  const organisation = last((raw) => intern.orNull(decodeFormValue(raw)));
  // Field 9 repeats the OIN (20 digits), or names the municipality chosen in a partnership.
  const chosen = last((raw) => (raw === '' || (raw.length === 20 && digitsAt(raw, 0, 20) >= 0) ? null : intern.string(raw)));
  const reason = last((raw) => intern.orNull(raw));
  return (text, start, end, line) => {
    let count = 0;
    let position = start;
    for (;;) {
      let comma = text.indexOf(',', position);
      if (comma < 0 || comma > end) comma = end;
      if (count <= V5_FIELDS) {
        starts[count] = position;
        ends[count] = comma;
      }
      count++;
      if (comma === end) break;
      position = comma + 1;
    }
    if (count !== V5_FIELDS) {
      return `expected ${V5_FIELDS} fields, found ${count}${count < V5_FIELDS ? ' (truncated line?)' : ''}`;
    }
    if (ends[0]! - starts[0]! !== 1 || text.charCodeAt(start) !== 53) return `record version '${field(text, 0)}' is not 5`;
    const wall = wallOf(text, starts[3]!, ends[3]!, starts[4]!, ends[4]!);
    if (wall === null) return `impossible or malformed date/time '${field(text, 3)} ${field(text, 4)}'`;
    if (starts[5] === ends[5]) return 'login (field 5) is empty';
    const searchKeys = field(text, 11);
    return new LookupRecord(
      clock.instantOf(wall),
      login(text, 5),
      userName(text, 6),
      roles(text, 7),
      organisation(text, 12),
      chosen(text, 9),
      null,
      searchKeys,
      bsnOfRawKeys(searchKeys),
      reason(text, 15),
      null,
      'v5',
      file,
      line,
      source,
    );
  };
}

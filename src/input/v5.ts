import { clockAt, digitsAt, wallDateAt } from '../time/civil.js';
import { LastValue, LookupRecord, SearchKeysReader, textAt, type ParseContext, type RecordParser } from './record.js';

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

/** A parser of v5 lines for one file (or chunk of it). */
export function v5Parser(context: ParseContext): RecordParser {
  const starts = new Int32Array(V5_FIELDS + 1);
  const ends = new Int32Array(V5_FIELDS + 1);
  const { clock, intern, file, source } = context;
  const field = (text: string, index: number, bytes: Uint8Array | undefined) => textAt(text, starts[index]!, ends[index]!, bytes);
  const last = <T>(make: (raw: string) => T) => {
    const cache = new LastValue(make);
    return (text: string, index: number, bytes: Uint8Array | undefined) => cache.get(text, starts[index]!, ends[index]!, bytes);
  };
  const organisation = last((raw) => intern.orNull(decodeFormValue(raw)));
  // Field 9 repeats the OIN (20 digits), or names the municipality chosen in a partnership.
  const chosen = last((raw) => (raw === '' || (raw.length === 20 && digitsAt(raw, 0, 20) >= 0) ? null : intern.string(raw)));
  const reason = last((raw) => intern.orNull(raw));
  // Lines come in runs of the same date: its midnight is read once per run.
  const date = last((raw) => wallDateAt(raw, 0, raw.length));
  const searchKeys = new SearchKeysReader();
  return (text, start, end, line, bytes) => {
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
    if (ends[0]! - starts[0]! !== 1 || text.charCodeAt(start) !== 53) return `record version '${field(text, 0, bytes)}' is not 5`;
    const midnight = date(text, 3, bytes);
    const timeOfDay = clockAt(text, starts[4]!, ends[4]!);
    if (midnight === null || timeOfDay === null) return `impossible or malformed date/time '${field(text, 3, bytes)} ${field(text, 4, bytes)}'`;
    const wall = midnight + timeOfDay;
    if (starts[5] === ends[5]) return 'login (field 5) is empty';
    searchKeys.read(text, starts[11]!, ends[11]!, bytes);
    // The name and roles are read through the login's own last values (see UserFields).
    const account = intern.userAt(text, starts[5]!, ends[5]!, bytes);
    return new LookupRecord(
      clock.instantOf(wall),
      account.login,
      account.name.get(text, starts[6]!, ends[6]!, bytes),
      account.roles.get(text, starts[7]!, ends[7]!, bytes),
      organisation(text, 12, bytes),
      chosen(text, 9, bytes),
      null,
      searchKeys.keys,
      searchKeys.bsn,
      reason(text, 15, bytes),
      null,
      'v5',
      file,
      line,
      source,
    );
  };
}

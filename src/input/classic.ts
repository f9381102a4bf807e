import { clockAt, digitsAt, wallDateAt } from '../time/civil.js';
import { FieldOffsets, scanQuotedRecord } from './quoted-fields.js';
import { ByBytes, LastValue, LookupRecord, SearchKeysReader, type ParseContext, type RecordParser } from './record.js';

/**
 * SI Classic access log (`suwinet-inkijk-custom-access.log`): `info3 YYYYMMDD-HH:MM:SS ` then a quoted
 * comma-separated record of 36 fields (positions in DOMAIN.md). The time of the lookup is the request's
 * start (field 5), local time without offset.
 */
export const CLASSIC_FIELDS = 36;

const PREFIX = /^info\d* \d{8}-\d{2}:\d{2}:\d{2} /;
const F = { start: 5, login: 15, displayName: 17, place: 19, roles: 22, session: 23, page: 25, searchKeys: 27 } as const;
/** Fields 30–35 are mostly empty; one holds the municipality chosen in a partnership, another a screen label. */
const TRAILING_FIRST = 30;
const SCREEN_LABEL = /scherm$/i;

export function isClassicLine(text: string): boolean {
  return PREFIX.test(text);
}

/** Whether the text at `start` starts with `info`, as every SI Classic line does (startsWith is slower, per line). */
export function startsWithInfo(text: string, start: number): boolean {
  return text.charCodeAt(start) === 105 && text.charCodeAt(start + 1) === 110 && text.charCodeAt(start + 2) === 102 && text.charCodeAt(start + 3) === 111;
}

/** Length of the `info3 YYYYMMDD-HH:MM:SS ` prefix at `start`, or -1 when there is none. */
function prefixLength(text: string, start: number): number {
  if (!startsWithInfo(text, start)) return -1;
  let position = start + 4;
  while (digitsAt(text, position, 1) >= 0) position++;
  if (text.charCodeAt(position) !== 32) return -1;
  const stamp = position + 1;
  if (
    digitsAt(text, stamp, 8) < 0 ||
    text.charCodeAt(stamp + 8) !== 45 ||
    digitsAt(text, stamp + 9, 2) < 0 ||
    text.charCodeAt(stamp + 11) !== 58 ||
    digitsAt(text, stamp + 12, 2) < 0 ||
    text.charCodeAt(stamp + 14) !== 58 ||
    digitsAt(text, stamp + 15, 2) < 0 ||
    text.charCodeAt(stamp + 17) !== 32
  ) {
    return -1;
  }
  return stamp + 18 - start;
}

/** A parser of SI Classic lines for one file (or chunk of it). */
export function classicParser(context: ParseContext): RecordParser {
  const fields = new FieldOffsets(CLASSIC_FIELDS);
  const { clock, intern, file, source } = context;
  // Fields with doubled quotes are rare: they skip the cache and are unescaped.
  const read = <T>(cache: LastValue<T>, text: string, index: number, bytes: Uint8Array | undefined) =>
    fields.escaped[index] ? cache.make(fields.value(text, index, bytes)) : cache.get(text, fields.starts[index]!, fields.ends[index]!, bytes);
  const last = <T>(make: (raw: string) => T) => {
    const cache = new LastValue(make);
    return (text: string, index: number, bytes: Uint8Array | undefined) => read(cache, text, index, bytes);
  };
  const place = last((raw) => intern.orNull(raw));
  // The page changes from line to line: found by its bytes (see ByBytes), on a line of other text by its
  // last value.
  const pageCache = new LastValue((raw) => intern.orNull(raw));
  const pages = new ByBytes(pageCache.make);
  const page = (text: string, bytes: Uint8Array | undefined) =>
    bytes === undefined || fields.escaped[F.page] ? read(pageCache, text, F.page, bytes) : pages.get(text, fields.starts[F.page]!, fields.ends[F.page]!, bytes);
  // A trailing field is a screen label (`gemeente scherm`, on nearly every line) or the municipality chosen
  // in a partnership. One cache for all of them: the same label recurs line after line, and a slice and a
  // regular expression per line were 3% of a worker.
  const trailing = new LastValue((raw) => (SCREEN_LABEL.test(raw) ? null : intern.string(raw)));
  // The start field is `YYYY-MM-DD HH:MM:SS`; lines come in runs of the same date, read once per run.
  const dates = new LastValue((raw) => wallDateAt(raw, 0, raw.length));
  const searchKeys = new SearchKeysReader();
  return (text, start, end, line, bytes) => {
    const prefix = prefixLength(text, start);
    if (prefix < 0) return 'not an SI Classic line (no "info… YYYYMMDD-HH:MM:SS" prefix)';
    const problem = scanQuotedRecord(text, start + prefix, end, fields);
    if (problem !== null) return problem;
    if (fields.count !== CLASSIC_FIELDS) {
      return fields.count > CLASSIC_FIELDS
        ? `expected ${CLASSIC_FIELDS} fields, found more`
        : `expected ${CLASSIC_FIELDS} fields, found ${fields.count} (truncated line?)`;
    }
    const at = fields.starts[F.start]!;
    const wellFormed = fields.ends[F.start] === at + 19 && text.charCodeAt(at + 10) === 32;
    const midnight = wellFormed ? dates.get(text, at, at + 10, bytes) : null;
    const timeOfDay = wellFormed ? clockAt(text, at + 11, at + 19) : null;
    if (midnight === null || timeOfDay === null) return `impossible or malformed start time '${fields.value(text, F.start, bytes)}'`;
    const wall = midnight + timeOfDay;
    if (fields.isEmpty(F.login)) return 'login (field 15) is empty';
    let chosenMunicipality: string | null = null;
    for (let index = TRAILING_FIRST; index < CLASSIC_FIELDS && chosenMunicipality === null; index++) {
      if (!fields.isEmpty(index)) chosenMunicipality = read(trailing, text, index, bytes);
    }
    // Doubled quotes are unescaped first: the reader then reads the value as a line of its own.
    if (fields.escaped[F.searchKeys]) {
      const value = fields.value(text, F.searchKeys, bytes);
      searchKeys.read(value, 0, value.length);
    } else {
      searchKeys.read(text, fields.starts[F.searchKeys]!, fields.ends[F.searchKeys]!, bytes);
    }
    // The name, roles and session are read through the login's own last values (see UserFields).
    const account = fields.escaped[F.login]
      ? intern.user(fields.value(text, F.login, bytes))
      : intern.userAt(text, fields.starts[F.login]!, fields.ends[F.login]!, bytes);
    return new LookupRecord(
      clock.instantOf(wall),
      account.login,
      read(account.name, text, F.displayName, bytes),
      read(account.roles, text, F.roles, bytes),
      place(text, F.place, bytes),
      chosenMunicipality,
      page(text, bytes),
      searchKeys.keys,
      searchKeys.bsn,
      null,
      read(account.session, text, F.session, bytes),
      'classic',
      file,
      line,
      source,
    );
  };
}

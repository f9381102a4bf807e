import { wallTime } from '../time/civil.js';
import type { ZoneClock } from '../time/zone.js';
import { orNull, parseSearchKeys, splitRoles, type ParseResult } from './record.js';

/**
 * SI Upgrade "raadpleegpersoon" log, record version 5: 16 plain comma-separated fields, no quoting
 * (positions in DOMAIN.md). Date and time are local without offset.
 */
export const V5_FIELDS = 16;

const SIGNATURE = /^5,[0-9A-Fa-f-]{36},/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;
const OIN = /^\d{20}$/;

export function isV5Line(text: string): boolean {
  return SIGNATURE.test(text);
}

/** URL-decoding of field 12 (`Dummy+Gemeente+Veenendaal`); a malformed escape keeps the text as it is. */
function decodeFormValue(text: string): string {
  const spaced = text.replaceAll('+', ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

export function parseV5Line(text: string, clock: ZoneClock): ParseResult {
  const fields = text.split(',');
  if (fields.length !== V5_FIELDS) {
    return { reason: `expected ${V5_FIELDS} fields, found ${fields.length}${fields.length < V5_FIELDS ? ' (truncated line?)' : ''}` };
  }
  if (fields[0] !== '5') return { reason: `record version '${fields[0]}' is not 5` };
  const date = DATE.exec(fields[3]!);
  const time = TIME.exec(fields[4]!);
  if (!date || !time) return { reason: `date/time '${fields[3]} ${fields[4]}' is not YYYY-MM-DD HH:MM:SS.mmm` };
  const wall = wallTime(+date[1]!, +date[2]!, +date[3]!, +time[1]!, +time[2]!, +time[3]!, Number((time[4] ?? '0').padEnd(3, '0')));
  if (wall === null) return { reason: `impossible date or time '${fields[3]} ${fields[4]}'` };
  const user = fields[5]!;
  if (user === '') return { reason: 'login (field 5) is empty' };
  const chosen = fields[9]!;
  return {
    time: clock.instantOf(wall),
    user,
    userName: orNull(fields[6]),
    roles: splitRoles(fields[7]!),
    organisation: orNull(decodeFormValue(fields[12]!)),
    chosenMunicipality: chosen === '' || OIN.test(chosen) ? null : chosen,
    page: null,
    searchKeys: parseSearchKeys(fields[11]!),
    escapeReason: orNull(fields[15]),
  };
}

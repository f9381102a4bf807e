import { wallTime } from '../time/civil.js';
import type { ZoneClock } from '../time/zone.js';
import { splitQuotedRecord } from './quoted-fields.js';
import { orNull, parseSearchKeys, splitRoles, type ParseResult } from './record.js';

/**
 * SI Classic access log (`suwinet-inkijk-custom-access.log`): `info3 YYYYMMDD-HH:MM:SS ` then a quoted
 * comma-separated record of 36 fields (positions in DOMAIN.md). The time of the lookup is the request's
 * start (field 5), local time without offset.
 */
export const CLASSIC_FIELDS = 36;

const PREFIX = /^info\d* \d{8}-\d{2}:\d{2}:\d{2} /;
const START = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const F = { start: 5, login: 15, displayName: 17, place: 19, roles: 22, page: 25, searchKeys: 27 } as const;
/** Fields 30–35 are mostly empty; one holds the municipality chosen in a partnership, another a screen label. */
const TRAILING_FIRST = 30;
const SCREEN_LABEL = /scherm$/i;

export function isClassicLine(text: string): boolean {
  return PREFIX.test(text);
}

export function parseClassicLine(text: string, clock: ZoneClock): ParseResult {
  const prefix = PREFIX.exec(text);
  if (!prefix) return { reason: 'not an SI Classic line (no "info… YYYYMMDD-HH:MM:SS" prefix)' };
  const fields = splitQuotedRecord(text, prefix[0].length);
  if (!Array.isArray(fields)) return fields;
  if (fields.length !== CLASSIC_FIELDS) {
    return { reason: `expected ${CLASSIC_FIELDS} fields, found ${fields.length}${fields.length < CLASSIC_FIELDS ? ' (truncated line?)' : ''}` };
  }
  const start = START.exec(fields[F.start]!);
  if (!start) return { reason: `start time '${fields[F.start]}' is not YYYY-MM-DD HH:MM:SS` };
  const wall = wallTime(+start[1]!, +start[2]!, +start[3]!, +start[4]!, +start[5]!, +start[6]!);
  if (wall === null) return { reason: `impossible date or time '${fields[F.start]}'` };
  const user = fields[F.login]!;
  if (user === '') return { reason: 'login (field 15) is empty' };
  let chosenMunicipality: string | null = null;
  for (let index = TRAILING_FIRST; index < CLASSIC_FIELDS; index++) {
    const value = fields[index]!;
    if (value !== '' && !SCREEN_LABEL.test(value)) {
      chosenMunicipality = value;
      break;
    }
  }
  return {
    time: clock.instantOf(wall),
    user,
    userName: orNull(fields[F.displayName]),
    roles: splitRoles(fields[F.roles]!),
    organisation: orNull(fields[F.place]),
    chosenMunicipality,
    page: orNull(fields[F.page]),
    searchKeys: parseSearchKeys(fields[F.searchKeys]!),
    escapeReason: null,
  };
}

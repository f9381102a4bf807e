import { normaliseBsn } from '../rule-api/bsn.js';
import type { Layout, Lookup } from '../rule-api/types.js';

/** What a layout parser extracts from one record; the rest of the canonical lookup is derived. */
export type ParsedRecord = Omit<Lookup, 'bsn' | 'layout' | 'file' | 'line' | 'source'>;

/** A record that could not be read: the reason, for rejects.csv. */
export interface Rejection {
  reason: string;
}

export type ParseResult = ParsedRecord | Rejection;

export function isRejection(result: ParseResult): result is Rejection {
  return (result as Rejection).reason !== undefined;
}

/** A line that could not be read, for rejects.csv. */
export interface Reject {
  file: string;
  line: number;
  reason: string;
  /** The start of the line (at most 200 characters). */
  excerpt: string;
}

/** Where a record came from. */
export interface RecordOrigin {
  layout: Layout;
  file: string;
  source: number;
  line: number;
}

/** Search-key names that carry a BSN, lower case (SI Classic: `Burgerservicenr`, v5: `bsn`). */
const BSN_KEYS = new Set(['bsn', 'burgerservicenr', 'burgerservicenummer']);

/** Parses `Name=value` pairs joined by `&` (`Postcode=5346AB&Huisnummer=4`). */
export function parseSearchKeys(text: string): Record<string, string> {
  const keys: Record<string, string> = {};
  if (text === '') return keys;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    if (equals < 0) keys[pair] = '';
    else keys[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return keys;
}

/** The BSN searched for, normalised to nine digits; null when the search was not by BSN. */
export function bsnOf(searchKeys: Readonly<Record<string, string>>): string | null {
  for (const name in searchKeys) {
    if (BSN_KEYS.has(name.toLowerCase())) return normaliseBsn(searchKeys[name]!);
  }
  return null;
}

export function toLookup(record: ParsedRecord, origin: RecordOrigin): Lookup {
  return { ...record, bsn: bsnOf(record.searchKeys), ...origin };
}

/** Splits a role list on `&`, `,` or `|`, dropping empty parts. */
export function splitRoles(text: string): string[] {
  return text
    .split(/[&,|]/)
    .map((role) => role.trim())
    .filter((role) => role !== '');
}

/** Empty strings become null. */
export function orNull(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

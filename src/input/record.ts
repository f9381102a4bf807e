import { isBsnKey, normaliseBsn } from '../rule-api/bsn.js';
import type { Layout, Lookup } from '../rule-api/types.js';
import type { ZoneClock } from '../time/zone.js';

/** A line that could not be read, for rejects.csv. */
export interface Reject {
  file: string;
  line: number;
  reason: string;
  /** The start of the line (at most 200 characters). */
  excerpt: string;
}

/** Where records come from, and what parsers share while reading one chunk or file. */
export interface ParseContext {
  clock: ZoneClock;
  file: string;
  source: number;
  intern: Interner;
}

/**
 * Parses the record in `text` between `start` and `end` (end excludes the line break). Returns the lookup, or
 * the reason the record cannot be read. Parsers work on offsets in a chunk-sized string so that a line is
 * never copied just to be read.
 */
export type RecordParser = (text: string, start: number, end: number, line: number) => Lookup | string;


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
    if (isBsnKey(name)) return normaliseBsn(searchKeys[name]!);
  }
  return null;
}

const SIMPLE_BSN_KEY = /^(?:bsn|burgerservicenr|burgerservicenummer)=(\d{1,9})$/i;

/**
 * The BSN of search keys as logged (`Burgerservicenr=111222333`). The common single-key form is read
 * without building the key object.
 */
export function bsnOfRawKeys(raw: string): string | null {
  const simple = SIMPLE_BSN_KEY.exec(raw);
  if (simple) return simple[1]!.padStart(9, '0');
  return raw.includes('=') ? bsnOf(parseSearchKeys(raw)) : null;
}

/**
 * The canonical lookup as the parsers build it: one object of fixed shape per record, with the search keys
 * parsed only when a rule asks for them.
 */
export class LookupRecord implements Lookup {
  private keys: Readonly<Record<string, string>> | null;
  private readonly rawKeys: string;

  constructor(
    readonly time: number,
    readonly user: string,
    readonly userName: string | null,
    readonly roles: readonly string[],
    readonly organisation: string | null,
    readonly chosenMunicipality: string | null,
    readonly page: string | null,
    searchKeys: string | Readonly<Record<string, string>>,
    readonly bsn: string | null,
    readonly escapeReason: string | null,
    readonly session: string | null,
    readonly layout: Layout,
    readonly file: string,
    readonly line: number,
    readonly source: number,
  ) {
    if (typeof searchKeys === 'string') {
      this.rawKeys = searchKeys;
      this.keys = null;
    } else {
      this.rawKeys = '';
      this.keys = searchKeys;
    }
  }

  get searchKeys(): Readonly<Record<string, string>> {
    return (this.keys ??= parseSearchKeys(this.rawKeys));
  }

  /** The canonical fields as a plain object (for tests and debugging). */
  toJSON(): Lookup {
    const { time, user, userName, roles, organisation, chosenMunicipality, page, searchKeys, bsn, escapeReason, session, layout, file, line, source } =
      this;
    return { time, user, userName, roles, organisation, chosenMunicipality, page, searchKeys, bsn, escapeReason, session, layout, file, line, source };
  }
}

/** Above this many distinct values the intern table starts afresh: a bound on memory, not on correctness. */
const INTERN_LIMIT = 50_000;

/**
 * Shares one copy of values that repeat on every line (logins, names, pages, role lists). The copy is made
 * flat so that it does not keep the chunk string it was sliced from alive.
 */
export class Interner {
  private readonly strings = new Map<string, string>();
  private readonly roleLists = new Map<string, readonly string[]>();

  string(value: string): string {
    let shared = this.strings.get(value);
    if (shared === undefined) {
      if (this.strings.size >= INTERN_LIMIT) this.strings.clear();
      shared = flatCopy(value);
      this.strings.set(shared, shared);
    }
    return shared;
  }

  orNull(value: string): string | null {
    return value === '' ? null : this.string(value);
  }

  /** Roles split on `&`, `,` or `|`, shared per distinct list. */
  roles(raw: string): readonly string[] {
    let roles = this.roleLists.get(raw);
    if (roles === undefined) {
      if (this.roleLists.size >= INTERN_LIMIT) this.roleLists.clear();
      roles = Object.freeze(splitRoles(raw).map((role) => this.string(role)));
      this.roleLists.set(flatCopy(raw), roles);
    }
    return roles;
  }
}

/**
 * The last value read from one field, and what was made of it. Consecutive lines mostly repeat a field
 * (the organisation always; the user, roles and page often): a repeat is recognised by comparing the raw
 * text in place, without slicing or hashing it.
 */
export class LastValue<T> {
  private raw: string | null = null;
  private value!: T;

  constructor(private readonly make: (raw: string) => T) {}

  get(text: string, start: number, end: number): T {
    const raw = this.raw;
    if (raw !== null && raw.length === end - start && text.startsWith(raw, start)) return this.value;
    // A slice of the chunk is fine here: parsers, and so their caches, live for one chunk.
    const fresh = text.slice(start, end);
    this.value = this.make(fresh);
    this.raw = fresh;
    return this.value;
  }
}

function flatCopy(value: string): string {
  return value.length < 13 ? value : Buffer.from(value, 'utf8').toString('utf8');
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

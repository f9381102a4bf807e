import { isBsnKey, normaliseBsn } from '../rule-api/bsn.js';
import { flatCopy, SHARED_LIMIT, SharedStrings } from '../rule-api/shared-strings.js';
import type { Layout, Lookup } from '../rule-api/types.js';
import { digitsAt } from '../time/civil.js';
import { decodeText } from './encoding.js';
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
 * never copied just to be read. `bytes`, when given, hold the same line a byte per character, and the text is
 * those bytes as Latin-1 (see LineSink): a field is then read with textAt, which decodes a field that is
 * not ASCII from UTF-8.
 */
export type RecordParser = (text: string, start: number, end: number, line: number, bytes?: Uint8Array) => Lookup | string;


/** Whether `bytes[start, end)` are ASCII: a loop over the few bytes of a field (cheaper than over its characters). */
function isAsciiAt(bytes: Uint8Array, start: number, end: number): boolean {
  for (let at = start; at < end; at++) if (bytes[at]! > 0x7f) return false;
  return true;
}

/**
 * The text of the field `text[start, end)`. With `bytes` (the line a byte per character), `text` is the
 * line's bytes as Latin-1, and the line is valid UTF-8 (see LineSink): a field with a byte of 0x80 or more
 * is decoded from UTF-8. Commas, quotes and line breaks are ASCII and never part of a UTF-8 sequence, so a
 * field's bytes are whole characters.
 */
export function textAt(text: string, start: number, end: number, bytes?: Uint8Array): string {
  return bytes === undefined || isAsciiAt(bytes, start, end) ? text.slice(start, end) : decodeText(bytes.subarray(start, end), 'utf-8');
}

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

/** The BSN key name of a length, lower case: the common single-key forms (see simpleBsnAt). */
function bsnKeyOfLength(length: number): string | null {
  return length === 3 ? 'bsn' : length === 15 ? 'burgerservicenr' : length === 19 ? 'burgerservicenummer' : null;
}

/**
 * The BSN of the single `name=digits` pair in `text[start, end)` whose name is a BSN key in any (ASCII)
 * case and whose value is one to nine digits, padded to nine; null for anything else. It reads what the
 * regular expression `/^(?:bsn|burgerservicenr|burgerservicenummer)=(\d{1,9})$/i` reads, tested against
 * it; the expression and its match object were 4% of a worker's time on v5. It reads the line's text in
 * place: the characters of a slice of it (a sliced string) cost more to read, 80 ns a line with the slice.
 */
export function simpleBsnAt(text: string, start: number, end: number): string | null {
  const equals = text.indexOf('=', start);
  if (equals < 0 || equals >= end) return null;
  const name = bsnKeyOfLength(equals - start);
  const digits = end - equals - 1;
  if (name === null || digits < 1 || digits > 9) return null;
  // `| 0x20` lower-cases an ASCII letter and leaves no other character equal to one.
  for (let at = start; at < equals; at++) if ((text.charCodeAt(at) | 0x20) !== name.charCodeAt(at - start)) return null;
  for (let at = equals + 1; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code < 48 || code > 57) return null;
  }
  const value = text.slice(equals + 1, end);
  return digits === 9 ? value : value.padStart(9, '0');
}

/** simpleBsnAt of a whole string. */
export function simpleBsn(raw: string): string | null {
  return simpleBsnAt(raw, 0, raw.length);
}

/**
 * The BSN of search keys as logged (`Burgerservicenr=111222333`). The common single-key form is read
 * without building the key object.
 */
export function bsnOfRawKeys(raw: string): string | null {
  return simpleBsn(raw) ?? (raw.includes('=') ? bsnOf(parseSearchKeys(raw)) : null);
}

/**
 * The search keys of the line a parser reads, and their BSN (see bsnOfRawKeys): one per parser, read into
 * line after line. The common single-key form (`bsn=…`) is ASCII, so when simpleBsn reads it, it needs no
 * look at its bytes (see textAt): that look, on every line, was 4% of a worker on v5.
 */
export class SearchKeysReader {
  keys = '';
  bsn: string | null = null;

  read(text: string, start: number, end: number, bytes?: Uint8Array): void {
    const bsn = simpleBsnAt(text, start, end);
    if (bsn !== null) {
      this.keys = text.slice(start, end);
      this.bsn = bsn;
      return;
    }
    this.keys = textAt(text, start, end, bytes);
    this.bsn = bsnOfRawKeys(this.keys);
  }
}

/**
 * The canonical lookup as the parsers build it: one object of fixed shape per record, with the search keys
 * parsed only when a rule asks for them.
 */
export class LookupRecord implements Lookup {
  private keys: Readonly<Record<string, string>> | null;
  private readonly rawKeys: string;
  /** The BSN as a number, -1 without one: see bsnNumber. */
  readonly bsnNumber: number;

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
    // A normalised BSN is nine digits.
    this.bsnNumber = bsn === null ? -1 : digitsAt(bsn, 0, 9);
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

/**
 * Shares one copy of values that repeat on every line (logins, names, pages, role lists). The copy is made
 * flat so that it does not keep the chunk string it was sliced from alive.
 */
export class Interner {
  private readonly strings = new SharedStrings();
  private readonly roleLists = new Map<string, readonly string[]>();
  private readonly users = new Map<string, UserFields>();
  /** The users found by the bytes of their login (see userAt). */
  private readonly logins = new ByBytes((login) => this.user(login));

  string(value: string): string {
    return this.strings.get(value);
  }

  orNull(value: string): string | null {
    return value === '' ? null : this.string(value);
  }

  /** Roles split on `&`, `,` or `|`, shared per distinct list. */
  roles(raw: string): readonly string[] {
    let roles = this.roleLists.get(raw);
    if (roles === undefined) {
      if (this.roleLists.size >= SHARED_LIMIT) this.roleLists.clear();
      roles = Object.freeze(splitRoles(raw).map((role) => this.string(role)));
      this.roleLists.set(flatCopy(raw), roles);
    }
    return roles;
  }

  /** The fields that go with a login (see UserFields), one per login. */
  user(login: string): UserFields {
    let user = this.users.get(login);
    if (user === undefined) {
      if (this.users.size >= SHARED_LIMIT) this.users.clear();
      user = new UserFields(this.string(login), this);
      this.users.set(user.login, user);
    }
    return user;
  }

  /**
   * The fields of the login in `text[start, end)`. With the line's bytes (an ASCII line), the login is found
   * by its bytes in place, in a table of its own: a slice and a Map lookup of it for every line were 6% of a
   * worker.
   */
  userAt(text: string, start: number, end: number, bytes?: Uint8Array): UserFields {
    return bytes === undefined ? this.user(text.slice(start, end)) : this.logins.get(text, start, end, bytes);
  }
}

/** FNV-1a over `bytes[start, end)` (`view` a DataView of the same memory), four bytes at a time (see sameBytes). */
function hashOfBytes(view: DataView, bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  let at = start;
  for (; at + 4 <= end; at += 4) hash = Math.imul(hash ^ view.getUint32(at), 0x01000193);
  for (; at < end; at++) hash = Math.imul(hash ^ bytes[at]!, 0x01000193);
  return (hash ^ (hash >>> 16)) >>> 0;
}

interface BytesEntry<T> {
  /** A copy: the bytes looked up are a chunk's, which is read into again. */
  key: Uint8Array;
  keyView: DataView;
  value: T;
}

/**
 * What is made of a field's text, found by the text's bytes in place (an ASCII line holds a byte per
 * character): an open-addressing table, at most half full, that starts afresh when it would grow while
 * holding SHARED_LIMIT values or more. A field that changes from line to line (the login, the page) was
 * sliced and looked up in a Map on every line: 6% of a worker for the login, and for the page of SI
 * Classic 5% of the run's CPU time (12.6 → 11.9 s of CPU for the 2 M bench month).
 */
export class ByBytes<T> {
  private slots = new Array<BytesEntry<T> | undefined>(256).fill(undefined);
  private count = 0;
  /** The entry found last: the next line often has the same value. */
  private last: BytesEntry<T> | null = null;

  constructor(private readonly make: (raw: string) => T) {}

  /** The value of `text[start, end)`, whose bytes are `bytes[start, end)`. */
  get(text: string, start: number, end: number, bytes: Uint8Array): T {
    const last = this.last;
    if (last !== null && isKey(last, bytes, start, end)) return last.value;
    const mask = this.slots.length - 1;
    let slot = hashOfBytes(viewOf(bytes), bytes, start, end) & mask;
    for (let found = this.slots[slot]; found !== undefined; found = this.slots[slot]) {
      if (isKey(found, bytes, start, end)) return (this.last = found).value;
      slot = (slot + 1) & mask;
    }
    const key = new Uint8Array(bytes.subarray(start, end));
    const entry = { key, keyView: new DataView(key.buffer), value: this.make(textAt(text, start, end, bytes)) };
    if (2 * (this.count + 1) > this.slots.length) {
      // Doubled while there are few values; past the bound of the other tables, started afresh.
      const known = this.count >= SHARED_LIMIT ? [] : this.slots.filter((found) => found !== undefined);
      this.slots = new Array<BytesEntry<T> | undefined>(known.length === 0 ? this.slots.length : 2 * this.slots.length).fill(undefined);
      this.count = 0;
      for (const found of [...known, entry]) this.place(found);
    } else {
      this.slots[slot] = entry;
      this.count++;
    }
    return (this.last = entry).value;
  }

  private place(entry: BytesEntry<T>): void {
    const mask = this.slots.length - 1;
    let slot = hashOfBytes(entry.keyView, entry.key, 0, entry.key.length) & mask;
    while (this.slots[slot] !== undefined) slot = (slot + 1) & mask;
    this.slots[slot] = entry;
    this.count++;
  }
}

/** Whether `bytes[start, end)` are the bytes of `key`. */
function isKey(entry: BytesEntry<unknown>, bytes: Uint8Array, start: number, end: number): boolean {
  return entry.key.length === end - start && sameBytes(entry.key, entry.keyView, bytes, start, end);
}

/**
 * A login, with the name, role list and session its lines carried last. Consecutive lines are mostly by
 * different users, so a field cache of the last line misses on the login, the name and the roles alike:
 * three slices and three Map lookups per line were a sixth of a worker's time. A user's own name, roles and
 * session rarely change, so once the login is found they are compared in place with the user's last ones.
 * They live for the whole thread (in its Interner), so they keep flat copies, not slices of a chunk.
 */
export class UserFields {
  readonly name: LastValue<string | null>;
  readonly roles: LastValue<readonly string[]>;
  /** The session (SI Classic): one string for all the lines of a session, not a slice per line. */
  readonly session: LastValue<string | null>;

  constructor(
    readonly login: string,
    intern: Interner,
  ) {
    this.name = new LastValue((raw) => intern.orNull(raw), true);
    this.roles = new LastValue((raw) => intern.roles(raw), true);
    this.session = new LastValue((raw) => (raw === '' ? null : raw), true);
  }
}

/**
 * Whether `bytes[start, end)` are the first `end - start` bytes of `known` (`knownView` a DataView of it):
 * four bytes at a time through DataViews, then byte by byte. String.prototype.startsWith took 40–80 ns for
 * a login, three to five times as long as a loop over bytes; four bytes at a time made a worker 4–11%
 * faster again (side by side: v5 1131 -> 1005 ms, SI Classic 965 -> 914), some six fields being compared
 * per line.
 */
function sameBytes(known: Uint8Array, knownView: DataView, bytes: Uint8Array, start: number, end: number): boolean {
  const view = viewOf(bytes);
  let at = start;
  let from = 0;
  for (; at + 4 <= end; at += 4, from += 4) if (view.getUint32(at) !== knownView.getUint32(from)) return false;
  for (; at < end; at++, from++) if (bytes[at] !== known[from]) return false;
  return true;
}

let viewed: Uint8Array | null = null;
let viewedAs: DataView = new DataView(new ArrayBuffer(0));

/** A DataView of the piece of a chunk being read: one per piece, made when its first line is compared. */
function viewOf(bytes: Uint8Array): DataView {
  if (bytes !== viewed) {
    viewed = bytes;
    viewedAs = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return viewedAs;
}

/**
 * The last value read from one field, and what was made of it. Consecutive lines mostly repeat a field
 * (the organisation always; the user, roles and page often): a repeat is recognised by comparing the raw
 * text in place, without slicing or hashing it.
 */
export class LastValue<T> {
  /**
   * The raw text as it was in the line's text, and whether that is the field's text: a field of a line read
   * as bytes (see textAt) that is not ASCII is its bytes as Latin-1, which is only ever compared as bytes.
   */
  private raw: string | null = null;
  private rawIsText = false;
  /** The raw text as bytes, when it was read from bytes (it is ASCII then): room for it, and whether it holds it. */
  private rawBytes = new Uint8Array(32);
  private rawView = new DataView(this.rawBytes.buffer);
  private hasBytes = false;
  private value!: T;

  /** `flat`: keep a flat copy of the raw text, for a cache that outlives the chunk (see UserFields). */
  constructor(
    readonly make: (raw: string) => T,
    private readonly flat = false,
  ) {}

  /** The value of `text[start, end)`; `bytes`, when given, hold the text a byte per character. */
  get(text: string, start: number, end: number, bytes?: Uint8Array): T {
    const raw = this.raw;
    const length = end - start;
    if (raw !== null && raw.length === length) {
      if (bytes === undefined) {
        if (this.rawIsText && text.startsWith(raw, start)) return this.value;
      } else if (this.hasBytes && sameBytes(this.rawBytes, this.rawView, bytes, start, end)) {
        return this.value;
      }
    }
    // A slice of the chunk is fine for a parser's own caches: parsers live for one chunk.
    const fresh = this.flat ? flatCopy(text.slice(start, end)) : text.slice(start, end);
    this.rawIsText = bytes === undefined || isAsciiAt(bytes, start, end);
    this.value = this.make(this.rawIsText ? fresh : textAt(text, start, end, bytes));
    this.raw = fresh;
    this.hasBytes = bytes !== undefined;
    if (bytes !== undefined) {
      // Copied into the room it has: the bytes are a chunk's, which is read into again.
      if (this.rawBytes.length < length) {
        this.rawBytes = new Uint8Array(2 * length);
        this.rawView = new DataView(this.rawBytes.buffer);
      }
      for (let at = 0; at < length; at++) this.rawBytes[at] = bytes[start + at]!;
    }
    return this.value;
  }
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

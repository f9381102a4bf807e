import { BsnNumbering } from './bsn-table.js';
import { Numbering, packPosition, POSITION_BASE, stringIndexer } from './position.js';
import { TypedArrayPool } from './typed-pool.js';
import type { Lookup, WindowFinding, WindowHooks } from './types.js';

/** What a tag holds: an index into the state's `names` (a session, a login, a page), or a number (a BSN). */
export type TagKind = 'name' | 'number';

/** Lookups in compact typed columns, all of `length` values (or more: room to grow). */
export interface TimedPart {
  length: number;
  times: Float64Array;
  positions: Float64Array;
  /** Per tag, per lookup: an index into `names` (-1 for none), or the number itself. */
  tags: Int32Array[];
  kinds: TagKind[];
  names: string[];
}

/**
 * The lookups of one window key, for windowed rules: the instant, the evidence position (`packPosition`)
 * and tags. Plain data: it crosses thread boundaries as a memory copy, 16 bytes a lookup plus 4 a tag, and
 * is stored in 10 plus 4 once joined with other chunks' (see StoredPart).
 *
 * The lookups added in this thread are the state's own columns; those merged in from other chunks are kept
 * in `merged`, each part cut to its length. Copying every chunk into one set of columns that doubled as it
 * grew took twice the memory at its peak, plus the copies left behind; keeping every chunk's part apart took
 * a kilobyte of typed-array objects per key per chunk. So parts are joined in levels, four at a time (as a
 * log-structured store does): a key keeps at most three parts per level, and each lookup is copied once per
 * level above 0 (a chunk's part as it came), about three times for a month of a few hundred chunks.
 * Measured against joining two at a time (a binary counter) and eight at a time: two copied twice as
 * often, which cost seconds of the main thread with every rule; eight peaked 100 MB and more higher at ten
 * million lookups. `finish` works on `joinedTimed(state)`; `timedWindow` wires it all up.
 */
export interface TimedLookups extends TimedPart {
  /** Parts merged in from other chunks; a part's level is how many times its lookups were joined. */
  merged: StoredPart[];
  /**
   * Lookups appended since the columns were last settled: per lookup its instant, position and tags side by
   * side, in an array of the thread's pool (see TypedArrayPool), a name tag as its number in `names` (see
   * NameNumbers). A typed array of more than 64 bytes costs about a microsecond to make (its memory lies
   * outside the heap), so columns that grew by doubling, three of them per key per chunk and then cut to
   * length, were 5% of a worker; plain arrays cost the scavenges as much. `compactTimed` moves these into
   * the columns, all in one buffer; merging and joining compact first.
   */
  adding: { rows: Float64Array; length: number; names: readonly string[] } | null;
}

export function timedLookups(kinds: readonly TagKind[] = []): TimedLookups {
  return {
    length: 0,
    times: new Float64Array(0),
    positions: new Float64Array(0),
    tags: kinds.map(() => new Int32Array(0)),
    kinds: [...kinds],
    names: [],
    merged: [],
    adding: null,
  };
}

const indexOfName = stringIndexer<{ names: string[] }>((part) => part.names);

/** The thread's arrays for lookups appended and not yet compacted. */
const rows = new TypedArrayPool<Float64Array>((length) => new Float64Array(length));

/**
 * The names of name tags appended and not yet compacted, numbered per thread: a row holds the thread's
 * number of its name, which `compactTimed` turns into the state's own index. Looking a name up in each
 * state's own table on every lookup filled a table per state per chunk: popular-bsn's hundred states of a
 * chunk took 0.2 µs a lookup, and the garbage of their tables. Past NUMBERED_NAMES names (sessions are new
 * all the time) the numbering starts afresh in a new list; rows appended before keep the list they were
 * numbered in (`adding.names`), and a state whose rows are of an older list is compacted before it takes more.
 */
class NameNumbers {
  private numbering = new Numbering<string>();
  /** Per number, the state's own index of the name while one state is compacted (-1: not asked yet). */
  private local = new Int32Array(0);

  /** Starts afresh when the numbering is full: called before a lookup's tags are numbered. */
  makeRoom(): void {
    if (this.numbering.keys.length >= NUMBERED_NAMES) this.numbering = new Numbering();
  }

  /** The names numbered so far: a name's number is its position here. */
  get names(): readonly string[] {
    return this.numbering.keys;
  }

  numberOf(name: string): number {
    return this.numbering.numberOf(name);
  }

  /**
   * Turns the numbers of `names` in the name tags of `columns[from, to)` into the indices `indexOf` gives,
   * asking it once per name, lookup by lookup and tag by tag: names come in the order they came.
   */
  translate(names: readonly string[], columns: readonly Int32Array[], from: number, to: number, indexOf: (name: string) => number): void {
    if (this.local.length < names.length) this.local = new Int32Array(Math.max(2 * this.local.length, names.length, 64)).fill(-1);
    const { local } = this;
    const seen: number[] = [];
    for (let slot = from; slot < to; slot++) {
      for (const column of columns) {
        const number = column[slot]!;
        if (number < 0) continue;
        let index = local[number]!;
        if (index === -1) {
          index = local[number] = indexOf(names[number]!);
          seen.push(number);
        }
        column[slot] = index;
      }
    }
    for (const number of seen) local[number] = -1;
  }
}

const NUMBERED_NAMES = 1 << 16;
const nameNumbers = new NameNumbers();

/**
 * Appends a lookup with its tags (as many as the state has, at most two): a string or null for a name tag,
 * a number for a number tag.
 */
export function appendTimed(state: TimedLookups, lookup: Lookup, first: TagValue = null, second: TagValue = null): void {
  nameNumbers.makeRoom();
  if (state.adding !== null && state.adding.names !== nameNumbers.names) compactTimed(state);
  const tags = state.kinds.length;
  const stride = 2 + tags;
  const adding = (state.adding ??= { rows: rows.take(16 * stride), length: 0, names: nameNumbers.names });
  const at = adding.length * stride;
  if (at + stride > adding.rows.length) adding.rows = rows.grow(adding.rows, at);
  const values = adding.rows;
  values[at] = lookup.time;
  values[at + 1] = packPosition(lookup);
  if (tags > 0) values[at + 2] = tagOf(first);
  if (tags > 1) values[at + 3] = tagOf(second);
  adding.length++;
}

/** A tag as given: a name (or null for none), or a number. */
type TagValue = string | number | null;

/** A tag as a row holds it: a number as it is, a name as the thread's number of it (see NameNumbers). */
function tagOf(value: TagValue): number {
  return typeof value === 'number' ? value : value === null ? -1 : nameNumbers.numberOf(value);
}

/**
 * Typed columns of one length in one buffer, handed out widest first so that each starts aligned. Making a
 * typed array of more than 64 bytes costs about a microsecond (its memory lies outside the heap); a view
 * of a buffer costs a tenth of that. A stored part's four or five columns, made one by one, took 2.9 µs;
 * in one buffer 0.7.
 */
class Columns {
  readonly #buffer: ArrayBuffer;
  #at = 0;

  constructor(
    private readonly length: number,
    bytesPerValue: number,
  ) {
    this.#buffer = new ArrayBuffer(length * bytesPerValue);
  }

  #next(bytes: number): number {
    const at = this.#at;
    this.#at += bytes * this.length;
    return at;
  }

  float64(): Float64Array {
    return new Float64Array(this.#buffer, this.#next(8), this.length);
  }

  uint32(): Uint32Array {
    return new Uint32Array(this.#buffer, this.#next(4), this.length);
  }

  int32(): Int32Array {
    return new Int32Array(this.#buffer, this.#next(4), this.length);
  }

  uint16(): Uint16Array {
    return new Uint16Array(this.#buffer, this.#next(2), this.length);
  }
}

/**
 * Moves the lookups appended since the last time into the state's columns, which then hold exactly what
 * the state has: every column a view of one buffer, so that the state crosses to another thread as one
 * memory copy. The runner calls it before a chunk's state leaves the worker (`WindowHooks.compact`).
 */
export function compactTimed(state: TimedLookups): void {
  const { adding } = state;
  if (adding === null) return;
  state.adding = null;
  const length = state.length + adding.length;
  const columns = new Columns(length, 16 + 4 * state.tags.length);
  const times = columns.float64();
  const positions = columns.float64();
  times.set(state.times.subarray(0, state.length));
  positions.set(state.positions.subarray(0, state.length));
  state.tags = state.tags.map((old) => {
    const tags = columns.int32();
    tags.set(old.subarray(0, state.length));
    return tags;
  });
  const stride = 2 + state.tags.length;
  const values = adding.rows;
  for (let row = 0, at = 0, slot = state.length; row < adding.length; row++, at += stride, slot++) {
    times[slot] = values[at]!;
    positions[slot] = values[at + 1]!;
    for (let tag = 0; tag < state.tags.length; tag++) state.tags[tag]![slot] = values[at + 2 + tag]!;
  }
  // Name tags hold the thread's numbers of their names: the state's own indices from here on.
  const names = state.tags.filter((_, tag) => state.kinds[tag] === 'name');
  if (names.length > 0) nameNumbers.translate(adding.names, names, state.length, length, (name) => indexOfName(state, name));
  rows.give(values);
  state.times = times;
  state.positions = positions;
  state.length = length;
}

/** How many parts of one level are joined into one part of the next level. */
const FAN_IN = 4;

const SOURCES_16_BIT = 1 << 16;
const UINT32_RANGE = 2 ** 32;

/**
 * A merged part, in as few bytes as its values fit: instants as a 32-bit count of milliseconds after `base`,
 * positions as source (16 bits) and line (32 bits). That is 10 bytes a lookup where a worker's columns take
 * 16, so the main thread holds a month in about two thirds of the memory. A part that spans 49 days or
 * more, has fractions of a millisecond or comes from input number 65,536 or later keeps the wide columns.
 * A part of level 0 is a chunk's own columns as they came (see storedAsItIs), wide.
 */
export interface StoredPart {
  level: number;
  length: number;
  base: number;
  /** The earliest and latest instant, and whether every instant is a whole millisecond. */
  first: number;
  last: number;
  whole: boolean;
  offsets: Uint32Array | null;
  instants: Float64Array | null;
  sources: Uint16Array | null;
  lines: Uint32Array | null;
  packed: Float64Array | null;
  tags: Int32Array[];
  kinds: TagKind[];
  names: string[];
}

type AnyPart = TimedPart | StoredPart;

function isStored(part: AnyPart): part is StoredPart {
  return 'base' in part;
}

/**
 * Writes the instants of `part` into `target` from `at` on, as numbers. One loop per way of storing them,
 * chosen once per part: a test of the part's kind on every value made joining a fifth slower.
 */
function writeInstants(part: AnyPart, target: Float64Array, at: number): void {
  const { length } = part;
  if (!isStored(part)) target.set(part.times.subarray(0, length), at);
  else if (part.offsets === null) target.set(part.instants!.subarray(0, length), at);
  else {
    const { offsets, base } = part;
    for (let index = 0; index < length; index++) target[at + index] = base + offsets[index]!;
  }
}

/** Writes the positions of `part` into `target` from `at` on, packed (see writeInstants). */
function writePositions(part: AnyPart, target: Float64Array, at: number): void {
  const { length } = part;
  if (!isStored(part)) target.set(part.positions.subarray(0, length), at);
  else if (part.sources === null) target.set(part.packed!.subarray(0, length), at);
  else {
    const { sources } = part;
    const lines = part.lines!;
    for (let index = 0; index < length; index++) target[at + index] = sources[index]! * POSITION_BASE + lines[index]!;
  }
}

/** Adds the lookups of `from` (another chunk's state) to `into`. Their order does not matter: see timeOrder. */
export function mergeTimed(into: TimedLookups, from: TimedLookups): void {
  compactTimed(into);
  compactTimed(from);
  // Merged for every key of every chunk (24,400 times for bulk-lookups' users of the SI Classic month): the
  // part is added and the levels checked without the objects and arrays a rest pattern and slices made.
  if (from.length > 0) addPart(into.merged, storedAsItIs(from));
  for (const part of from.merged) if (part.length > 0) addPart(into.merged, part);
}

/** Adds a part; four parts of one level make one part of the next: each lookup is copied once per level above 0. */
function addPart(parts: StoredPart[], part: StoredPart): void {
  parts.push(part);
  for (;;) {
    const level = part.level;
    if (parts.length < FAN_IN) return;
    for (let at = parts.length - FAN_IN; at < parts.length; at++) if (parts[at]!.level !== level) return;
    part = joinStored(parts.splice(-FAN_IN), level + 1);
    parts.push(part);
  }
}

/**
 * A chunk's part as a stored part of level 0, its columns as they are: wide, and no copy. Copying each
 * into narrow columns as it arrived (see StoredPart) took a copy per lookup more, and a buffer per key per
 * chunk; at most three level-0 parts of a key wait before four of them are joined narrow.
 */
function storedAsItIs(part: TimedPart): StoredPart {
  const { length, times, positions } = part;
  const { first, last, whole } = rangeOf(part);
  const stored: StoredPart = {
    level: 0,
    length,
    base: 0,
    first,
    last,
    whole,
    offsets: null,
    instants: cut(times, length),
    sources: null,
    lines: null,
    packed: cut(positions, length),
    tags: part.tags.map((column) => cut(column, length)),
    kinds: part.kinds,
    names: part.names,
  };
  indexOfName.moveTable(part, stored);
  return stored;
}

/** The first `length` values of a column: the column itself when that is all of it (a worker's columns are cut to their length). */
function cut<T extends Float64Array | Int32Array>(column: T, length: number): T {
  return column.length === length ? column : (column.subarray(0, length) as T);
}

/** Every lookup of the state in one set of wide columns, name tags renumbered into one list of names. */
export function joinedTimed(state: TimedLookups): TimedPart {
  compactTimed(state);
  const { merged, adding: _, ...own } = state;
  if (merged.length === 0) return own;
  const parts: AnyPart[] = [own, ...merged];
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const columns = new Columns(length, 16 + 4 * own.kinds.length);
  const all: TimedPart = { length, times: columns.float64(), positions: columns.float64(), tags: [], kinds: own.kinds, names: [] };
  let at = 0;
  for (const part of parts) {
    writeInstants(part, all.times, at);
    writePositions(part, all.positions, at);
    at += part.length;
  }
  ({ tags: all.tags, names: all.names } = joinedTags(parts, own.kinds.map(() => columns.int32())));
  return all;
}

/** What decides how a part can be stored: the range of its instants, and whether its positions fit 16-bit sources. */
interface PartRange {
  first: number;
  last: number;
  whole: boolean;
  narrowSources: boolean;
}

/** A stored part knows its range; a worker's columns are scanned. */
function rangeOf(part: AnyPart): PartRange {
  if (isStored(part)) {
    const { first, last, whole } = part;
    let narrowSources = part.sources !== null;
    if (!narrowSources) {
      narrowSources = true;
      const packed = part.packed!;
      for (let index = 0; index < part.length && narrowSources; index++) narrowSources = packed[index]! < SOURCES_16_BIT * POSITION_BASE;
    }
    return { first, last, whole, narrowSources };
  }
  const range: PartRange = { first: Infinity, last: -Infinity, whole: true, narrowSources: true };
  for (let index = 0; index < part.length; index++) {
    const instant = part.times[index]!;
    if (instant < range.first) range.first = instant;
    if (instant > range.last) range.last = instant;
    if (!Number.isInteger(instant)) range.whole = false;
    if (part.positions[index]! >= SOURCES_16_BIT * POSITION_BASE) range.narrowSources = false;
  }
  return range;
}

/**
 * The parts' lookups as one stored part of `level`. Narrow parts are copied into a narrow part as memory
 * (offsets moved to the new base): value by value, the join of parts was a tenth of the main thread's time.
 */
function joinStored(parts: readonly AnyPart[], level: number): StoredPart {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const ranges = parts.map(rangeOf);
  const first = Math.min(...ranges.map((range) => range.first));
  const last = Math.max(...ranges.map((range) => range.last));
  const whole = ranges.every((range) => range.whole);
  const narrowSources = ranges.every((range) => range.narrowSources);
  const narrowTimes = whole && last - first < UINT32_RANGE;
  const { kinds } = parts[0]!;
  // Widest first (see Columns).
  const columns = new Columns(length, (narrowTimes ? 4 : 8) + (narrowSources ? 6 : 8) + 4 * kinds.length);
  const instants = narrowTimes ? null : columns.float64();
  const packed = narrowSources ? null : columns.float64();
  const offsets = narrowTimes ? columns.uint32() : null;
  const lines = narrowSources ? columns.uint32() : null;
  const tags = kinds.map(() => columns.int32());
  const sources = narrowSources ? columns.uint16() : null;
  const stored: StoredPart = {
    level,
    length,
    base: narrowTimes ? first : 0,
    first,
    last,
    whole,
    offsets,
    instants,
    sources,
    lines,
    packed,
    ...joinedTags(parts, tags, true),
    kinds,
  };
  indexOfName.moveTable(parts[0]!, stored);
  let at = 0;
  for (const part of parts) {
    copyInstants(part, stored, at);
    copyPositions(part, stored, at);
    at += part.length;
  }
  return stored;
}

function copyInstants(part: AnyPart, into: StoredPart, at: number): void {
  const { length } = part;
  const { offsets } = into;
  if (offsets === null) writeInstants(part, into.instants!, at);
  else if (isStored(part) && part.offsets !== null) {
    const shift = part.base - into.base;
    if (shift === 0) offsets.set(part.offsets.subarray(0, length), at);
    else for (let index = 0; index < length; index++) offsets[at + index] = part.offsets[index]! + shift;
  } else {
    const instants = isStored(part) ? part.instants! : part.times;
    for (let index = 0; index < length; index++) offsets[at + index] = instants[index]! - into.base;
  }
}

function copyPositions(part: AnyPart, into: StoredPart, at: number): void {
  const { length } = part;
  const { sources, lines } = into;
  if (sources === null) writePositions(part, into.packed!, at);
  else if (isStored(part) && part.sources !== null) {
    sources.set(part.sources.subarray(0, length), at);
    lines!.set(part.lines!.subarray(0, length), at);
  } else {
    const packed = isStored(part) ? part.packed! : part.positions;
    for (let index = 0; index < length; index++) {
      const position = packed[index]!;
      const source = Math.floor(position / POSITION_BASE);
      sources[at + index] = source;
      // Not `position % POSITION_BASE`: the remainder of doubles is a library call, a tenth of joining.
      lines![at + index] = position - source * POSITION_BASE;
    }
  }
}

/**
 * The parts' tags, written into `tags` (a column per tag, as long as the parts together), name tags
 * renumbered into the names of the first part and what follows. Parts that are `consumed` (joined into the next level, never used again) hand the first part's
 * list of names on, with the table stringIndexer keeps for it: building that table afresh at every join was
 * a tenth of the main thread's time with every rule.
 */
function joinedTags(parts: readonly AnyPart[], tags: Int32Array[], consumed = false): { tags: Int32Array[]; names: string[] } {
  const first = parts[0]!;
  const holder = consumed ? first : { names: [...first.names] };
  let at = 0;
  for (const part of parts) {
    const renumber = part === first ? null : part.names.map((name) => indexOfName(holder, name));
    part.tags.forEach((column, tag) => {
      const target = tags[tag]!;
      if (renumber === null || part.kinds[tag] === 'number') {
        target.set(column.subarray(0, part.length), at);
        return;
      }
      for (let index = 0; index < part.length; index++) target[at + index] = column[index]! === -1 ? -1 : renumber[column[index]!]!;
    });
    at += part.length;
  }
  return { tags, names: holder.names };
}

/** The earliest and latest instant of a state's lookups, or null when it has none. */
export function timedRange(state: TimedLookups): { first: number; last: number } | null {
  compactTimed(state);
  let first = Infinity;
  let last = -Infinity;
  for (let index = 0; index < state.length; index++) {
    const instant = state.times[index]!;
    if (instant < first) first = instant;
    if (instant > last) last = instant;
  }
  for (const part of state.merged) {
    if (part.first < first) first = part.first;
    if (part.last > last) last = part.last;
  }
  return first === Infinity ? null : { first, last };
}

/** The lookups of `all` at the slots `order[from, to)`, as a state of their own. */
function timedSlots(all: TimedPart, order: readonly number[], from: number, to: number): TimedLookups {
  const length = to - from;
  const columns = new Columns(length, 16 + 4 * all.kinds.length);
  const times = columns.float64();
  const positions = columns.float64();
  const tags = all.kinds.map(() => columns.int32());
  for (let at = 0; at < length; at++) {
    const slot = order[from + at]!;
    times[at] = all.times[slot]!;
    positions[at] = all.positions[slot]!;
    for (let tag = 0; tag < tags.length; tag++) tags[tag]![at] = all.tags[tag]![slot]!;
  }
  return { length, times, positions, tags, kinds: [...all.kinds], names: [...all.names], merged: [], adding: null };
}

/** The lookups of `all` in `[from, to)`, as a state whose columns are views of its columns. */
function timedView(all: TimedPart, from: number, to: number): TimedLookups {
  return {
    length: to - from,
    times: all.times.subarray(from, to),
    positions: all.positions.subarray(from, to),
    tags: all.tags.map((column) => column.subarray(from, to)),
    kinds: [...all.kinds],
    names: [...all.names],
    merged: [],
    adding: null,
  };
}

/**
 * The fewest lookups settled at once: what is let go of a key is kept track of (its range, its findings,
 * where it lies in the spill file) in about half a kilobyte, which a few lookups of 20 bytes do not repay.
 * Keys with few lookups a day (a declarative rule grouped by BSN) keep theirs, as without settling.
 */
export const SETTLE_MINIMUM = 100;

/**
 * Splits off the lookups of `state` that are settled: those before the last gap of at least `quiet` between
 * two consecutive lookups (in time order) such that the lookups before it lie `quiet` or more before `until`.
 * When no later lookup can come before `until`, nothing can come within `quiet` of them. Fewer than
 * `minimum` lookups are not split off (see SETTLE_MINIMUM). Returns the settled lookups and the rest, each
 * as a state of its own (the rest null when empty); null when none are settled.
 */
export function splitTimed(
  state: TimedLookups,
  quiet: number,
  until: number,
  minimum = SETTLE_MINIMUM,
): { settled: TimedLookups; rest: TimedLookups | null; first: number; last: number } | null {
  if (state.length + (state.adding?.length ?? 0) + state.merged.reduce((sum, part) => sum + part.length, 0) < minimum) return null;
  const range = timedRange(state);
  if (range === null || range.first > until - quiet) return null;
  let all: TimedPart = joinedTimed(state);
  // Lookups mostly come in time order. Those that do not are put in order first (one copy); then the
  // settled lookups and the rest are views of the ordered columns, not copies. The rest keeps those columns
  // until the next pass joins it anew. An order of slots read through on every step, and the settled and
  // the rest copied from it, took a fifth of settling's time.
  if (!inTimeOrder(all)) all = timedSlots(all, timeOrder(all), 0, all.length);
  const { length, times } = all;
  // The settled lookups are the first `cut`: up to the last before a quiet gap, at most `until − quiet`.
  let cut = 0;
  for (let position = 0; position < length && times[position]! <= until - quiet; position++) {
    if (position + 1 === length || times[position + 1]! - times[position]! >= quiet) cut = position + 1;
  }
  if (cut === 0 || cut < minimum) return null;
  const settled = timedView(all, 0, cut);
  const rest = cut === length ? null : timedView(all, cut, length);
  return { settled, rest, first: times[0]!, last: times[cut - 1]! };
}

/** Whether the lookups are in time order already (see timeOrder): instants, then positions, never decrease. */
function inTimeOrder(part: TimedPart): boolean {
  const { times, positions, length } = part;
  for (let at = 1; at < length; at++) {
    const step = times[at]! - times[at - 1]!;
    if (step < 0 || (step === 0 && positions[at]! < positions[at - 1]!)) return false;
  }
  return true;
}

/**
 * The window hooks of a rule that keeps each key's lookups in a timedLookups store: the rule says what the
 * key is, what it adds (appendTimed) and what it finds in a key's lookups, joined into one set of wide
 * columns; the store makes, merges and compacts the states.
 *
 * `quiet`, when given, is a gap that no finding of the rule spans: lookups of one key that far apart (in ms)
 * or more are never part of one finding, as for bursts in a sliding window of that length. The engine then
 * finishes the lookups of a key as soon as no later lookup can come near them, and lets them go (see
 * WindowHooks.settle).
 */
export function timedWindow(
  kinds: readonly TagKind[],
  hooks: {
    key(lookup: Lookup): string | null;
    add(state: TimedLookups, lookup: Lookup): void;
    finish(key: string, lookups: TimedPart, report: (finding: WindowFinding) => void): void;
    quiet?: number;
  },
): WindowHooks<TimedLookups> {
  const { quiet } = hooks;
  return {
    key: hooks.key,
    init: () => timedLookups(kinds),
    add: hooks.add,
    merge: mergeTimed,
    compact: compactTimed,
    finish: (key, state, report) => hooks.finish(key, joinedTimed(state), report),
    ...(quiet === undefined
      ? {}
      : { settle: { quiet, range: timedRange, split: (state: TimedLookups, until: number, minimum: number) => splitTimed(state, quiet, until, minimum) } }),
  };
}

/**
 * The slots of a state's lookups in time order, lines of the same instant in input order: lines may arrive
 * out of time order, and windows are counted over sorted lookups.
 */
export function timeOrder(state: { length: number; times: Float64Array; positions: Float64Array }): number[] {
  // A loop, not Array.from with a function: that took 40 ns a lookup.
  const order = new Array<number>(state.length);
  for (let index = 0; index < state.length; index++) order[index] = index;
  sortRunByTime(state, order, 0, state.length);
  return order;
}

/**
 * Sorts `order[from, to)` by instant, then input position. Logs are mostly written in time order, and parts
 * are joined in input order: a check in one pass spares the sort, which even on sorted input calls its
 * comparison once per lookup (a tenth of a second at the end of a run of two million lookups).
 */
function sortRunByTime(state: { times: Float64Array; positions: Float64Array }, order: number[], from: number, to: number): void {
  const { times, positions } = state;
  const before = (a: number, b: number) => times[a]! - times[b]! || positions[a]! - positions[b]!;
  let sorted = true;
  for (let at = from + 1; at < to && sorted; at++) sorted = before(order[at - 1]!, order[at]!) < 0;
  if (sorted) return;
  const run = order.slice(from, to).sort(before);
  for (let at = from; at < to; at++) order[at] = run[at - from]!;
}

/**
 * The slots of a state's lookups ordered by a number tag (a BSN), then by instant and input position. The
 * slots are counted out by tag (a counting sort): the distinct tags are numbered as they come (see
 * BsnNumbering) and sorted, and every slot is put in its tag's place, in input order. Within a tag that is
 * time order unless a log is out of order, which sortRunByTime then mends. Sorting the slots by tag as
 * doubles (tag × 2^22 + slot, a typed-array sort) took 170 ms of the main thread at the end of a run of two
 * million lookups with every rule, while the workers waited; a sort that compared three columns for every
 * pair took twice that.
 */
export function tagTimeOrder(state: TimedPart, tag: number): number[] {
  const { length } = state;
  const tags = state.tags[tag]!;
  // Per slot, the number of its tag; per number, how many slots have the tag.
  const numbering = new BsnNumbering();
  const numberOf = new Int32Array(length);
  const counts: number[] = [];
  for (let index = 0; index < length; index++) {
    const number = numbering.numberOf(tags[index]!);
    if (number === counts.length) counts.push(0);
    counts[number]!++;
    numberOf[index] = number;
  }
  // Where each tag's next slot goes: the tags in ascending order, each after the ones before.
  const places = new Int32Array(counts.length);
  let next = 0;
  for (const value of Int32Array.from(numbering.keys).sort()) {
    const number = numbering.get(value);
    places[number] = next;
    next += counts[number]!;
  }
  const order = new Array<number>(length);
  for (let index = 0; index < length; index++) order[places[numberOf[index]!]!++] = index;
  for (let start = 0, end = 0; start < length; start = end) {
    while (end < length && tags[order[end]!] === tags[order[start]!]) end++;
    sortRunByTime(state, order, start, end);
  }
  return order;
}

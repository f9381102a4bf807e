import { packPosition, stringIndexer, withCapacity } from './position.js';
import type { Lookup } from './types.js';

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
 * and tags. Plain data: it crosses thread boundaries as a memory copy, 16 bytes a lookup plus 4 a tag.
 *
 * The lookups added in this thread are the state's own columns; those merged in from other chunks are kept
 * in `merged`, each part cut to its length. Copying every chunk into one set of columns that doubled as it
 * grew took twice the memory at its peak, plus the copies left behind; keeping every chunk's part apart took
 * a kilobyte of typed-array objects per key per chunk. So parts are joined in levels, four at a time (as a
 * log-structured store does): a key keeps at most three parts per level, and each lookup is copied once per
 * level, four times for a month in 4 MiB chunks. Measured against joining two at a time (a binary counter)
 * and eight at a time: two copied twice as often, which cost seconds of the main thread with every rule;
 * eight peaked 100 MB and more higher at ten million lookups. `finish` works on `joinedTimed(state)`.
 */
export interface TimedLookups extends TimedPart {
  /** Parts merged in from other chunks; a part's level is how many times its lookups were joined. */
  merged: Array<TimedPart & { level: number }>;
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
  };
}

function withRoom(part: TimedPart, extra: number): void {
  const needed = part.length + extra;
  if (needed <= part.times.length) return;
  part.times = withCapacity(part.times, part.length, needed);
  part.positions = withCapacity(part.positions, part.length, needed);
  for (let tag = 0; tag < part.tags.length; tag++) part.tags[tag] = withCapacity(part.tags[tag]!, part.length, needed);
}

const indexOfName = stringIndexer<TimedPart>((part) => part.names);

/**
 * Appends a lookup with its tags (as many as the state has, at most two): a string or null for a name tag,
 * a number for a number tag. The tags are given here, not written afterwards, because appending may move
 * the columns.
 */
export function appendTimed(state: TimedLookups, lookup: Lookup, first: TagValue = null, second: TagValue = null): void {
  withRoom(state, 1);
  const slot = state.length++;
  state.times[slot] = lookup.time;
  state.positions[slot] = packPosition(lookup);
  if (state.tags.length > 0) state.tags[0]![slot] = tagOf(state, first);
  if (state.tags.length > 1) state.tags[1]![slot] = tagOf(state, second);
}

/** A tag as given: a name (or null for none), or a number. */
type TagValue = string | number | null;

function tagOf(state: TimedPart, value: TagValue): number {
  return typeof value === 'number' ? value : value === null ? -1 : indexOfName(state, value);
}

/** Cuts the state's own columns to what they hold, before it leaves the worker (`WindowHooks.compact`). */
export function compactTimed(state: TimedLookups): void {
  if (state.times.length === state.length) return;
  state.times = state.times.slice(0, state.length);
  state.positions = state.positions.slice(0, state.length);
  state.tags = state.tags.map((tags) => tags.slice(0, state.length));
}

/** How many parts of one level are joined into one part of the next level. */
const FAN_IN = 4;

/** Adds the lookups of `from` (another chunk's state) to `into`. Their order does not matter: see timeOrder. */
export function mergeTimed(into: TimedLookups, from: TimedLookups): void {
  const { merged, ...own } = from;
  const parts = into.merged;
  for (const part of [{ ...own, level: 0 }, ...merged]) {
    if (part.length === 0) continue;
    parts.push(part);
    // Four parts of one level make one part of the next: each lookup is copied once per level.
    for (;;) {
      const level = parts[parts.length - 1]!.level;
      if (parts.length < FAN_IN || parts.slice(-FAN_IN).some((other) => other.level !== level)) break;
      parts.push({ ...joinParts(parts.splice(-FAN_IN)), level: level + 1 });
    }
  }
}

/** Every lookup of the state in one set of columns, name tags renumbered into one list of names. */
export function joinedTimed(state: TimedLookups): TimedPart {
  const { merged, ...own } = state;
  return merged.length === 0 ? own : joinParts([own, ...merged]);
}

function joinParts(parts: readonly TimedPart[]): TimedPart {
  const first = parts[0]!;
  const all: TimedPart = {
    length: 0,
    times: new Float64Array(0),
    positions: new Float64Array(0),
    tags: first.kinds.map(() => new Int32Array(0)),
    kinds: first.kinds,
    names: [...first.names],
  };
  withRoom(all, parts.reduce((sum, part) => sum + part.length, 0));
  for (const part of parts) {
    all.times.set(part.times.subarray(0, part.length), all.length);
    all.positions.set(part.positions.subarray(0, part.length), all.length);
    const renumber = part === first ? null : part.names.map((name) => indexOfName(all, name));
    part.tags.forEach((tags, tag) => {
      const target = all.tags[tag]!;
      if (renumber === null || part.kinds[tag] === 'number') {
        target.set(tags.subarray(0, part.length), all.length);
        return;
      }
      for (let at = 0; at < part.length; at++) target[all.length + at] = tags[at]! === -1 ? -1 : renumber[tags[at]!]!;
    });
    all.length += part.length;
  }
  return all;
}

/**
 * The slots of a state's lookups in time order, lines of the same instant in input order: lines may arrive
 * out of time order, and windows are counted over sorted lookups.
 */
export function timeOrder(state: { length: number; times: Float64Array; positions: Float64Array }): number[] {
  const order = Array.from({ length: state.length }, (_, index) => index);
  return order.sort((a, b) => state.times[a]! - state.times[b]! || state.positions[a]! - state.positions[b]!);
}

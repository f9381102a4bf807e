import { packPosition, stringIndexer, withCapacity } from './position.js';
import type { Lookup } from './types.js';

/**
 * The lookups of one window key in compact typed arrays, for windowed rules: the instant, the evidence
 * position (`packPosition`) and up to two tags, strings (a session, a login, a page) kept as an index into
 * `names`. Plain data: it crosses thread boundaries as a memory copy, 16 bytes a lookup plus 4 a tag.
 */
export interface TimedLookups {
  length: number;
  times: Float64Array;
  positions: Float64Array;
  /** Per tag, per lookup: the index of its string in `names`, or -1 for none. */
  tags: Int32Array[];
  names: string[];
}

export function timedLookups(tagCount: 0 | 1 | 2): TimedLookups {
  return {
    length: 0,
    times: new Float64Array(0),
    positions: new Float64Array(0),
    tags: Array.from({ length: tagCount }, () => new Int32Array(0)),
    names: [],
  };
}

function withRoom(state: TimedLookups, extra: number): void {
  const needed = state.length + extra;
  if (needed <= state.times.length) return;
  state.times = withCapacity(state.times, state.length, needed);
  state.positions = withCapacity(state.positions, state.length, needed);
  for (let tag = 0; tag < state.tags.length; tag++) state.tags[tag] = withCapacity(state.tags[tag]!, state.length, needed);
}

const indexOfName = stringIndexer<TimedLookups>((state) => state.names);

function nameIndex(state: TimedLookups, name: string | null): number {
  return name === null ? -1 : indexOfName(state, name);
}

/**
 * Appends a lookup: its instant and position, and the state's tags (as many as it has; null for none).
 * The tags are given here, not written afterwards, because appending may move the columns to bigger arrays.
 */
export function appendTimed(state: TimedLookups, lookup: Lookup, first: string | null = null, second: string | null = null): void {
  withRoom(state, 1);
  const slot = state.length++;
  state.times[slot] = lookup.time;
  state.positions[slot] = packPosition(lookup);
  if (state.tags.length > 0) state.tags[0]![slot] = nameIndex(state, first);
  if (state.tags.length > 1) state.tags[1]![slot] = nameIndex(state, second);
}

/** Appends the lookups of `from` (later in the input) to `into`, with their tags renumbered into its names. */
export function mergeTimed(into: TimedLookups, from: TimedLookups): void {
  withRoom(into, from.length);
  into.times.set(from.times.subarray(0, from.length), into.length);
  into.positions.set(from.positions.subarray(0, from.length), into.length);
  const renumber = from.names.map((name) => indexOfName(into, name));
  from.tags.forEach((tags, tag) => {
    const target = into.tags[tag]!;
    for (let at = 0; at < from.length; at++) target[into.length + at] = tags[at]! === -1 ? -1 : renumber[tags[at]!]!;
  });
  into.length += from.length;
}

/**
 * The slots of a state's lookups in time order, lines of the same instant in input order: lines may arrive
 * out of time order, and windows are counted over sorted lookups.
 */
export function timeOrder(state: { length: number; times: Float64Array; positions: Float64Array }): number[] {
  const order = Array.from({ length: state.length }, (_, index) => index);
  return order.sort((a, b) => state.times[a]! - state.times[b]! || state.positions[a]! - state.positions[b]!);
}

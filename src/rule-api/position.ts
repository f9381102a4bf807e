import type { EvidenceRef, Lookup } from './types.js';

/** Positions of one input are this far apart from the next input's: a line number takes 32 bits. */
export const POSITION_BASE = 2 ** 32;

/**
 * A lookup's evidence position packed into one number (`source · 2^32 + line`), for rule states kept in
 * Float64Arrays: compact, and it sorts in input order.
 */
export function packPosition(lookup: Pick<Lookup, 'source' | 'line'>): number {
  return lookup.source * POSITION_BASE + lookup.line;
}

export function unpackPosition(packed: number): EvidenceRef {
  return { source: Math.floor(packed / POSITION_BASE), line: packed % POSITION_BASE };
}

type GrowableArray = Float64Array | Int32Array;

/**
 * `array`, or a copy with room for `needed` values (at least double, so that growing stays cheap) holding
 * its first `used` values: the growable columns of windowed rule states.
 */
export function withCapacity<T extends GrowableArray>(array: T, used: number, needed: number): T {
  if (needed <= array.length) return array;
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(needed, array.length * 2, 64));
  bigger.set(array.subarray(0, used));
  return bigger;
}

/**
 * The position of a string in a list that a rule state keeps (session ids, logins), appending it when new.
 * The lookup table lives beside the state, not in it, so the state stays plain data that can cross threads;
 * it is rebuilt from the list for a state that arrived from another thread.
 */
export function stringIndexer<State extends object>(listOf: (state: State) => string[]): (state: State, value: string) => number {
  const tables = new WeakMap<State, Map<string, number>>();
  return (state, value) => {
    const list = listOf(state);
    let table = tables.get(state);
    if (table === undefined) {
      table = new Map(list.map((name, at) => [name, at]));
      tables.set(state, table);
    }
    let at = table.get(value);
    if (at === undefined) {
      at = list.push(value) - 1;
      table.set(value, at);
    }
    return at;
  };
}

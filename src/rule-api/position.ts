import type { EvidenceRef, Lookup } from './types.js';

const BASE = 2 ** 32;

/**
 * A lookup's evidence position packed into one number (`source · 2^32 + line`), for rule states kept in
 * Float64Arrays: compact, and it sorts in input order.
 */
export function packPosition(lookup: Pick<Lookup, 'source' | 'line'>): number {
  return lookup.source * BASE + lookup.line;
}

export function unpackPosition(packed: number): EvidenceRef {
  return { source: Math.floor(packed / BASE), line: packed % BASE };
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

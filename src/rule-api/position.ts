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

import type { Lookup } from '../rule-api/types.js';

/**
 * The steekproef: lookups without findings drawn for routine verification, stratified so that every active
 * employee has a chance. Each lookup gets a pseudo-random key from the seed and its place in the input (file
 * and line), so the draw does not depend on how the input was split or on the number of workers; each
 * chunk keeps, per employee, the lookups with the smallest keys, and partials merge by keeping the smallest.
 */
export interface SampleCandidate {
  key: number;
  time: number;
  user: string;
  userName: string | null;
  bsn: string | null;
  page: string | null;
  source: number;
  line: number;
}

export interface SampleSettings {
  size: number;
  seed: number;
}

/** Per employee, the candidates with the smallest keys (sorted). Plain data. */
export type SamplePartial = Map<string, SampleCandidate[]>;

/** A 32-bit hash of seed, file and line (murmur3's finaliser): the candidate's place in the draw. */
export function sampleKey(seed: number, source: number, line: number): number {
  let hash = seed ^ Math.imul(source + 1, 0x85ebca6b) ^ Math.imul(line, 0xc2b2ae35);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

const byKey = (a: SampleCandidate, b: SampleCandidate) => a.key - b.key || a.source - b.source || a.line - b.line;

/** Candidates kept per employee: the sample size, with room for ones a windowed finding turns out to cover. */
function keptPerUser(settings: SampleSettings): number {
  return 2 * settings.size;
}

export class SampleCollector {
  private readonly partial: SamplePartial = new Map();

  constructor(private readonly settings: SampleSettings) {}

  add(lookup: Lookup): void {
    const key = sampleKey(this.settings.seed, lookup.source, lookup.line);
    let list = this.partial.get(lookup.user);
    if (list === undefined) {
      list = [];
      this.partial.set(lookup.user, list);
    }
    const limit = keptPerUser(this.settings);
    if (list.length >= limit && key >= list[list.length - 1]!.key) return;
    const { time, user, userName, bsn, page, source, line } = lookup;
    list.push({ key, time, user, userName, bsn, page, source, line });
    list.sort(byKey);
    if (list.length > limit) list.pop();
  }

  finish(): SamplePartial {
    return this.partial;
  }
}

export function mergeSample(into: SamplePartial, from: SamplePartial, settings: SampleSettings): void {
  for (const [user, list] of from) {
    const merged = [...(into.get(user) ?? []), ...list].sort(byKey).slice(0, keptPerUser(settings));
    into.set(user, merged);
  }
}

/**
 * Draws the sample: employees in the order of their best key take turns, each giving their next candidate
 * that no finding covers, until `size` lookups are drawn. Returned in time order.
 */
export function drawSample(partial: SamplePartial, settings: SampleSettings, covered: (source: number, line: number) => boolean): SampleCandidate[] {
  const queues = [...partial.values()]
    .map((list) => list.filter((candidate) => !covered(candidate.source, candidate.line)))
    .filter((list) => list.length > 0)
    .sort((a, b) => byKey(a[0]!, b[0]!));
  const drawn: SampleCandidate[] = [];
  for (let round = 0; drawn.length < settings.size; round++) {
    let any = false;
    for (const queue of queues) {
      if (round < queue.length && drawn.length < settings.size) {
        drawn.push(queue[round]!);
        any = true;
      }
    }
    if (!any) break;
  }
  return drawn.sort((a, b) => a.time - b.time || a.source - b.source || a.line - b.line);
}

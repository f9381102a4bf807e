/** Above this many distinct values a table of shared values starts afresh: a bound on memory, not on correctness. */
export const SHARED_LIMIT = 50_000;

/**
 * A copy of `value` that keeps nothing else alive: a slice of a chunk's string would keep the whole chunk,
 * and a concatenation its pieces. Short strings are copied by V8 when sliced anyway.
 */
export function flatCopy(value: string): string {
  return value.length < 13 ? value : Buffer.from(value, 'utf8').toString('utf8');
}

/**
 * One shared, flat copy of each of the values that repeat (logins, pages, message ids), so that a million
 * lines or findings hold one string per distinct value. Bounded by SHARED_LIMIT.
 */
export class SharedStrings {
  readonly #strings = new Map<string, string>();

  /** How many values are shared. */
  get size(): number {
    return this.#strings.size;
  }

  get(value: string): string {
    let shared = this.#strings.get(value);
    if (shared === undefined) {
      if (this.#strings.size >= SHARED_LIMIT) this.#strings.clear();
      shared = flatCopy(value);
      this.#strings.set(shared, shared);
    }
    return shared;
  }
}

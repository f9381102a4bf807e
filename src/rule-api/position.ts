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

/**
 * Whether the lookup at (`instant`, `position`) comes before the pair at offset `at` of `pairs`: lookups
 * kept as pairs of numbers in a plain array, an instant and then its position (`packPosition`), are in run
 * order by instant, then input file, then line.
 */
export function comesBefore(instant: number, position: number, pairs: readonly number[], at: number): boolean {
  return instant < pairs[at]! || (instant === pairs[at]! && position < pairs[at + 1]!);
}

/**
 * Numbers keys in the order they first come: a key's number is its position in `keys`. For tables built in
 * one go (a caseload's BSNs, a thread's names); a rule state that crosses threads keeps its list with
 * stringIndexer instead.
 */
export class Numbering<Key> {
  readonly keys: Key[] = [];
  private readonly numbers = new Map<Key, number>();

  /** The key's number, the next one when it is new. */
  numberOf(key: Key): number {
    let number = this.numbers.get(key);
    if (number === undefined) {
      number = this.keys.push(key) - 1;
      this.numbers.set(key, number);
    }
    return number;
  }

  /** The key's number, undefined when it has none. */
  get(key: Key): number | undefined {
    return this.numbers.get(key);
  }
}

/** The position of a string in a state's list, appending it when new (see stringIndexer). */
export interface StringIndexer<State extends object> {
  (state: State, value: string): number;
  /** Hands the table of `from` to `to`, which has taken over `from`'s list: it need not be built again. */
  moveTable(from: State, to: State): void;
}

/**
 * The position of a string in a list that a rule state keeps (session ids, logins), appending it when new.
 * The lookup table is kept on the state under a symbol of the indexer's own, not enumerable: it is not
 * copied when the state crosses threads (nor by spreading it), so the state stays plain data, and it is
 * rebuilt from the list for a state that arrived from another thread. A WeakMap from states to tables did
 * the same, at a WeakMap lookup per tag per lookup: 4% of a worker with every rule.
 */
export function stringIndexer<State extends object>(listOf: (state: State) => string[]): StringIndexer<State> {
  const key = Symbol('names');
  type Holder = State & { [key]?: Map<string, number> };
  const keep = (state: State, table: Map<string, number>) => Object.defineProperty(state, key, { value: table, enumerable: false, writable: true });
  const indexer = (state: State, value: string) => {
    const list = listOf(state);
    let table = (state as Holder)[key];
    if (table === undefined) {
      table = new Map(list.map((name, at) => [name, at]));
      keep(state, table);
    }
    let at = table.get(value);
    if (at === undefined) {
      at = list.push(value) - 1;
      table.set(value, at);
    }
    return at;
  };
  return Object.assign(indexer, {
    moveTable(from: State, to: State) {
      const table = (from as Holder)[key];
      if (table !== undefined) keep(to, table);
    },
  });
}

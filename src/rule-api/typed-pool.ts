type Typed = Float64Array | Int32Array;

/**
 * Typed arrays handed out and given back within one thread, by length (powers of two), for what a chunk
 * appends per key before it is compacted: a window's lookups, a user's BSNs. Plain arrays that grew with
 * every lookup lived on the heap until the chunk was done, so every scavenge copied them and then promoted
 * them: for bulk-lookups' three numbers a lookup, a worker allocated 117 bytes a lookup and spent twice as
 * long in scavenges (2 M v5 lookups: 445 against 210 ms a worker). A typed array's values lie outside the
 * heap, and one taken from here is no allocation at all once the first chunks have been read.
 */
export class TypedArrayPool<T extends Typed> {
  /** Free arrays by length. */
  private readonly free = new Map<number, T[]>();

  constructor(
    private readonly make: (length: number) => T,
    /** The smallest length handed out. */
    private readonly smallest = 32,
    /** Free arrays kept per length: about what one chunk's keys hold at once. */
    private readonly keep = 4096,
  ) {}

  /** An array of at least `length` values (a power of two); its values are left as they were. */
  take(length: number): T {
    let size = this.smallest;
    while (size < length) size *= 2;
    return this.free.get(size)?.pop() ?? this.make(size);
  }

  /** An array twice as long holding the first `used` values of `array`, which is given back. */
  grow(array: T, used: number): T {
    const larger = this.take(2 * array.length);
    larger.set(array.subarray(0, used));
    this.give(array);
    return larger;
  }

  /** Takes an array back; the caller must not use it any more. */
  give(array: T): void {
    let list = this.free.get(array.length);
    if (list === undefined) {
      list = [];
      this.free.set(array.length, list);
    }
    if (list.length < this.keep) list.push(array);
  }
}

/**
 * An open-addressing hash table from BSNs, as numbers, to non-negative integers, in two typed arrays. Asked
 * for every lookup, it touches a cache line or two where a Map of strings chases pointers through the heap,
 * and it takes a few bytes per BSN instead of a Map entry and a string. BSN 0 never passes the 11-check, so
 * it marks an empty slot.
 */
export class BsnTable {
  private readonly keys: Int32Array;
  private readonly values: Int32Array;
  private readonly shift: number;

  /** A table with room for `count` BSNs (at most half full, so that probes stay short). */
  constructor(count: number) {
    const bits = Math.max(4, Math.ceil(Math.log2(count * 2 + 1)));
    this.shift = 32 - bits;
    this.keys = new Int32Array(1 << bits);
    this.values = new Int32Array(1 << bits);
  }

  /** The slot of a BSN: its own, or the empty one where it would go. */
  private slotOf(bsn: number): number {
    const mask = this.keys.length - 1;
    let slot = Math.imul(bsn, 0x9e3779b1) >>> this.shift;
    while (this.keys[slot] !== 0 && this.keys[slot] !== bsn) slot = (slot + 1) & mask;
    return slot;
  }

  set(bsn: number, value: number): void {
    const slot = this.slotOf(bsn);
    this.keys[slot] = bsn;
    this.values[slot] = value;
  }

  /** The BSN's value, or -1 when the table does not hold it. */
  get(bsn: number): number {
    const slot = this.slotOf(bsn);
    return this.keys[slot] === 0 ? -1 : this.values[slot]!;
  }
}

/**
 * An open-addressing hash table from BSNs, as numbers, to non-negative integers, in two typed arrays. Asked
 * for every lookup, it touches a cache line or two where a Map of strings chases pointers through the heap,
 * and it takes a few bytes per BSN instead of a Map entry and a string. BSN 0 never passes the 11-check, so
 * it marks an empty slot.
 */
export class BsnTable {
  /** Per slot, side by side so that a probe reads one cache line: the BSN (0: empty), then its value. */
  private readonly slots: Int32Array;
  private readonly shift: number;

  /** A table with room for `count` BSNs (at most half full, so that probes stay short). */
  constructor(count: number) {
    const bits = Math.max(4, Math.ceil(Math.log2(count * 2 + 1)));
    this.shift = 32 - bits;
    this.slots = new Int32Array(2 << bits);
  }

  /** The index in `slots` of a BSN's slot: its own, or the empty one where it would go. */
  private slotOf(bsn: number): number {
    const mask = this.slots.length - 1;
    let at = (Math.imul(bsn, 0x9e3779b1) >>> this.shift) << 1;
    while (this.slots[at] !== 0 && this.slots[at] !== bsn) at = (at + 2) & mask;
    return at;
  }

  set(bsn: number, value: number): void {
    const at = this.slotOf(bsn);
    this.slots[at] = bsn;
    this.slots[at + 1] = value;
  }

  /** The BSN's value, or -1 when the table does not hold it. */
  get(bsn: number): number {
    const at = this.slotOf(bsn);
    return this.slots[at] === 0 ? -1 : this.slots[at + 1]!;
  }
}

/**
 * An open-addressing hash table from BSNs, as numbers, to non-negative integers, in one typed array. Asked
 * for every lookup, it touches a cache line or two where a Map of strings chases pointers through the heap,
 * and it takes a few bytes per BSN instead of a Map entry and a string. BSN 0 never passes the 11-check, so
 * it marks an empty slot.
 *
 * A slot holds `width` values (1 to 7) beside its BSN, so that what a lookup needs most is read from the
 * cache line the probe already brought in: no-case-link keeps a BSN's first case period there.
 */
export class BsnTable {
  /** Per slot, side by side so that a probe reads one cache line: the BSN (0: empty), then its values. */
  private readonly slots: Int32Array;
  private readonly shift: number;
  /** log2 of a slot's size in values, BSN included. */
  private readonly slotBits: number;

  /** A table with room for `count` BSNs (at most half full, so that probes stay short). */
  constructor(count: number, readonly width = 1) {
    if (!Number.isInteger(width) || width < 1 || width > 7) throw new RangeError(`width must be 1 to 7, not ${width}`);
    const bits = Math.max(4, Math.ceil(Math.log2(count * 2 + 1)));
    this.shift = 32 - bits;
    this.slotBits = Math.ceil(Math.log2(width + 1));
    this.slots = new Int32Array(1 << (bits + this.slotBits));
  }

  /** The index in `slots` of a BSN's slot: its own, or the empty one where it would go. */
  private slotOf(bsn: number): number {
    const mask = this.slots.length - 1;
    const size = 1 << this.slotBits;
    let at = (Math.imul(bsn, 0x9e3779b1) >>> this.shift) << this.slotBits;
    while (this.slots[at] !== 0 && this.slots[at] !== bsn) at = (at + size) & mask;
    return at;
  }

  /**
   * Reads the slot where the BSN's probe starts, and returns what it holds: a load a caller makes ahead of
   * a batch of finds, so that their cache misses overlap (see RuleHooks.warm).
   */
  touch(bsn: number): number {
    return this.slots[(Math.imul(bsn, 0x9e3779b1) >>> this.shift) << this.slotBits]!;
  }

  set(bsn: number, value: number): void {
    this.values[this.claim(bsn)] = value;
  }

  /** The BSN's (first) value, or -1 when the table does not hold it. */
  get(bsn: number): number {
    const at = this.find(bsn);
    return at < 0 ? -1 : this.slots[at]!;
  }

  /** Where the BSN's values start in `values`, or -1 when the table does not hold it. */
  find(bsn: number): number {
    const at = this.slotOf(bsn);
    return this.slots[at] === 0 ? -1 : at + 1;
  }

  /** Where the BSN's values start in `values`, taking a slot for it when it has none. */
  claim(bsn: number): number {
    const at = this.slotOf(bsn);
    this.slots[at] = bsn;
    return at + 1;
  }

  /** The values of every slot, at the offsets `find` and `claim` give. */
  get values(): Int32Array {
    return this.slots;
  }
}

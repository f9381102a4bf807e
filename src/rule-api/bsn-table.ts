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

/**
 * Numbers BSNs (as numbers; any 32-bit integer will do) by first appearance, as Numbering does with a Map,
 * in a BsnTable that grows by four as they come, for code that numbers millions of them (see tagTimeOrder).
 * A table sized for every value it might see, not for the distinct ones, was mostly cache misses: 20,000
 * lookups of a few hundred BSNs took it a tenth of a megabyte. BSN 0, which a table cannot hold, is
 * numbered beside it. For a few ten thousand BSNs, once, a Map is as fast: its code needs no warming up (the
 * caseload's 40,000 took as long either way). A set of BSNs that lasts the month is a BsnSet (indicators.ts),
 * at a third of the memory.
 */
export class BsnNumbering {
  /** The BSNs numbered so far: a BSN's number is its position here. */
  readonly keys: number[] = [];
  #table: BsnTable;
  #room: number;
  #zero = -1;

  constructor(room = 1024) {
    this.#room = room;
    this.#table = new BsnTable(room);
  }

  /** The BSN's number, the next one when it is new. */
  numberOf(bsn: number): number {
    const known = this.get(bsn);
    if (known >= 0) return known;
    const number = this.keys.push(bsn) - 1;
    if (bsn === 0) this.#zero = number;
    else if (this.keys.length <= this.#room) this.#table.set(bsn, number);
    else {
      this.#room *= 4;
      this.#table = new BsnTable(this.#room);
      this.keys.forEach((key, at) => key !== 0 && this.#table.set(key, at));
    }
    return number;
  }

  /** The BSN's number, -1 when it has none. */
  get(bsn: number): number {
    return bsn === 0 ? this.#zero : this.#table.get(bsn);
  }
}

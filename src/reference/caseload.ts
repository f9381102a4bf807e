import { NINE_DIGITS } from '../rule-api/bsn.js';
import { BsnTable } from '../rule-api/bsn-table.js';
import { Numbering, stringIndexer } from '../rule-api/position.js';
import type { CasePeriod, CasePeriodVisitor } from '../rule-api/types.js';

/** The caseload as plain columns: what crosses to the workers, as a memory copy. */
export interface CaseloadColumns {
  /** Per BSN, in order of first appearance: the BSN as a number (nine digits, leading zeros dropped). */
  bsns: Int32Array;
  /** Per BSN, where its periods start in the period columns; one more at the end. */
  firstPeriods: Int32Array;
  /** Per period: its first day and its last day (`OPEN` while the case is open). */
  starts: Int32Array;
  ends: Int32Array;
  /** Per period: case id, team and worker, as indices into `texts` (-1 for none). */
  caseIds: Int32Array;
  teams: Int32Array;
  workers: Int32Array;
  texts: string[];
}

const OPEN = -0x80000000;
const indexOfText = stringIndexer<{ list: string[] }>((texts) => texts.list);
const NONE = -1;

/**
 * The caseload by BSN, in columns. A Map of 40,000 BSNs to arrays of objects took 15–20 MB in every thread
 * (each worker gets its own structured copy), and copying it to a worker took a deep walk. These columns take
 * about 1 MB and copy as memory. It reads as the ReadonlyMap the rule API promises; `get` builds the periods
 * of one BSN when asked.
 */
export class Caseload implements ReadonlyMap<string, readonly CasePeriod[]> {
  readonly columns: CaseloadColumns;
  /**
   * BSN → its position in `columns.bsns`; built in each thread, never copied, and only when a BSN is asked
   * for: the rules read the columns (forEachCasePeriod) and ask only about lookups they report, and building
   * it for 40,000 BSNs took 20–30 ms of every worker before its first chunk.
   */
  #positions: BsnTable | null = null;

  constructor(columns: CaseloadColumns) {
    this.columns = columns;
  }

  /** The caseload of a map (BSNs as normalised nine-digit strings), in the map's order. */
  static fromMap(cases: ReadonlyMap<string, readonly CasePeriod[]>): Caseload {
    const builder = new CaseloadBuilder();
    for (const [bsn, list] of cases) {
      if (!NINE_DIGITS.test(bsn)) throw new Error(`caseload key '${bsn}' is not a normalised BSN`);
      // A BSN without periods is kept, as the map has it.
      builder.include(Number(bsn));
      for (const { start, end, caseId, team, worker } of list) builder.add(Number(bsn), caseId, team, worker, start, end);
    }
    return builder.build();
  }

  /** A caseload again, after it crossed to a worker as plain data; anything else is returned as it is. */
  static revive<T>(cases: T): T | Caseload {
    if (cases instanceof Caseload || typeof cases !== 'object' || cases === null || !('columns' in cases)) return cases;
    return new Caseload(cases.columns as CaseloadColumns);
  }

  get size(): number {
    return this.columns.bsns.length;
  }

  has(bsn: string): boolean {
    return this.positionOf(bsn) >= 0;
  }

  get(bsn: string): readonly CasePeriod[] | undefined {
    const position = this.positionOf(bsn);
    return position < 0 ? undefined : this.periodsAt(position);
  }

  forEach(callback: (periods: readonly CasePeriod[], bsn: string, map: ReadonlyMap<string, readonly CasePeriod[]>) => void, thisArg?: unknown): void {
    for (const [bsn, periods] of this.entries()) callback.call(thisArg, periods, bsn, this);
  }

  *entries(): MapIterator<[string, readonly CasePeriod[]]> {
    for (let position = 0; position < this.size; position++) yield [this.bsnAt(position), this.periodsAt(position)];
  }

  *keys(): MapIterator<string> {
    for (let position = 0; position < this.size; position++) yield this.bsnAt(position);
  }

  *values(): MapIterator<readonly CasePeriod[]> {
    for (let position = 0; position < this.size; position++) yield this.periodsAt(position);
  }

  [Symbol.iterator](): MapIterator<[string, readonly CasePeriod[]]> {
    return this.entries();
  }

  /** Every period, BSN by BSN, from the columns (see forEachCasePeriod). */
  forEachPeriod(visit: CasePeriodVisitor): void {
    const { bsns, firstPeriods, starts, ends, teams, workers, texts } = this.columns;
    const text = (index: number) => (index === NONE ? null : texts[index]!);
    for (let position = 0; position < bsns.length; position++) {
      const first = firstPeriods[position]!;
      for (let period = first; period < firstPeriods[position + 1]!; period++) {
        visit(bsns[position]!, period === first, starts[period]!, ends[period] === OPEN ? null : ends[period]!, text(teams[period]!), text(workers[period]!));
      }
    }
  }

  private positionOf(bsn: string): number {
    if (!NINE_DIGITS.test(bsn)) return -1;
    if (this.#positions === null) {
      const positions = (this.#positions = new BsnTable(this.columns.bsns.length));
      this.columns.bsns.forEach((bsn, position) => positions.set(bsn, position));
    }
    return this.#positions.get(Number(bsn));
  }

  private bsnAt(position: number): string {
    return String(this.columns.bsns[position]).padStart(9, '0');
  }

  private periodsAt(position: number): CasePeriod[] {
    const { firstPeriods, starts, ends, caseIds, teams, workers, texts } = this.columns;
    const text = (index: number) => (index === NONE ? null : texts[index]!);
    const periods: CasePeriod[] = [];
    for (let period = firstPeriods[position]!; period < firstPeriods[position + 1]!; period++) {
      periods.push({
        caseId: text(caseIds[period]!),
        team: text(teams[period]!),
        worker: text(workers[period]!),
        start: starts[period]!,
        end: ends[period] === OPEN ? null : ends[period]!,
      });
    }
    return periods;
  }
}

/**
 * Builds a caseload's columns period by period, as the rows of a caseload file come: BSNs in order of
 * first appearance, each BSN's periods in the order they came. The rows were first gathered in a Map from
 * BSN texts to arrays of period objects: for 40,000 rows, 90 ms of the 250 it took to read the caseload (on
 * the way of every run, before the workers can start), and 40 MB of garbage.
 */
export class CaseloadBuilder {
  /** The BSNs, numbered by first appearance; per period, in the order added: its BSN's number and its fields. */
  private readonly bsns = new Numbering<number>();
  private readonly owners: number[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly caseIds: number[] = [];
  private readonly teams: number[] = [];
  private readonly workers: number[] = [];
  private readonly texts = { list: [] as string[] };

  /** The position of the BSN (as a number), which it takes now when it has none. */
  include(bsn: number): number {
    return this.bsns.numberOf(bsn);
  }

  /** Adds a period of the BSN (as a number); `end` null while the case is open. */
  add(bsn: number, caseId: string | null, team: string | null, worker: string | null, start: number, end: number | null): void {
    this.owners.push(this.include(bsn));
    this.starts.push(start);
    this.ends.push(end ?? OPEN);
    // Case ids are mostly unique: appended, not looked up.
    this.caseIds.push(caseId === null ? NONE : this.texts.list.push(caseId) - 1);
    this.teams.push(this.text(team));
    this.workers.push(this.text(worker));
  }

  build(): Caseload {
    const count = this.bsns.keys.length;
    const periods = this.owners.length;
    const columns: CaseloadColumns = {
      bsns: Int32Array.from(this.bsns.keys),
      firstPeriods: new Int32Array(count + 1),
      starts: new Int32Array(periods),
      ends: new Int32Array(periods),
      caseIds: new Int32Array(periods),
      teams: new Int32Array(periods),
      workers: new Int32Array(periods),
      texts: this.texts.list,
    };
    // Each BSN's periods side by side: counted, then placed in the order they came.
    const next = columns.firstPeriods;
    for (const owner of this.owners) next[owner + 1]!++;
    for (let position = 0; position < count; position++) next[position + 1]! += next[position]!;
    const place = next.slice(0, count);
    for (let period = 0; period < periods; period++) {
      const at = place[this.owners[period]!]!++;
      columns.starts[at] = this.starts[period]!;
      columns.ends[at] = this.ends[period]!;
      columns.caseIds[at] = this.caseIds[period]!;
      columns.teams[at] = this.teams[period]!;
      columns.workers[at] = this.workers[period]!;
    }
    return new Caseload(columns);
  }

  private text(value: string | null): number {
    return value === null ? NONE : indexOfText(this.texts, value);
  }
}

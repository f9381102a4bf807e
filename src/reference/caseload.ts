import { NINE_DIGITS } from '../rule-api/bsn.js';
import { BsnTable } from '../rule-api/bsn-table.js';
import { stringIndexer } from '../rule-api/position.js';
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
  /** BSN → its position in `columns.bsns`; built in each thread, never copied. */
  readonly #positions: BsnTable;

  constructor(columns: CaseloadColumns) {
    this.columns = columns;
    this.#positions = new BsnTable(columns.bsns.length);
    columns.bsns.forEach((bsn, position) => this.#positions.set(bsn, position));
  }

  /** The caseload of a map (BSNs as normalised nine-digit strings), in the map's order. */
  static fromMap(cases: ReadonlyMap<string, readonly CasePeriod[]>): Caseload {
    let periods = 0;
    for (const list of cases.values()) periods += list.length;
    const texts = { list: [] as string[] };
    const text = (value: string | null) => (value === null ? NONE : indexOfText(texts, value));
    const columns: CaseloadColumns = {
      bsns: new Int32Array(cases.size),
      firstPeriods: new Int32Array(cases.size + 1),
      starts: new Int32Array(periods),
      ends: new Int32Array(periods),
      caseIds: new Int32Array(periods),
      teams: new Int32Array(periods),
      workers: new Int32Array(periods),
      texts: texts.list,
    };
    let position = 0;
    let period = 0;
    for (const [bsn, list] of cases) {
      if (!NINE_DIGITS.test(bsn)) throw new Error(`caseload key '${bsn}' is not a normalised BSN`);
      columns.bsns[position] = Number(bsn);
      columns.firstPeriods[position++] = period;
      for (const { start, end, caseId, team, worker } of list) {
        columns.starts[period] = start;
        columns.ends[period] = end ?? OPEN;
        columns.caseIds[period] = text(caseId);
        columns.teams[period] = text(team);
        columns.workers[period++] = text(worker);
      }
    }
    columns.firstPeriods[position] = period;
    return new Caseload(columns);
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
    return NINE_DIGITS.test(bsn) ? this.#positions.get(Number(bsn)) : -1;
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

import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { parse, type Options } from 'csv-parse/sync';
import { ReferenceDataError } from '../errors.js';
import { detectDelimiter } from '../input/detect.js';
import { decodeText, detectEncoding, hasUtf8Bom } from '../input/encoding.js';
import { excerptOf } from '../input/lines.js';
import { describeFsError } from '../input/sources.js';
import { csvLineCounter } from '../input/structured.js';

/** At most this many bad rows are listed before the run stops. */
export const PROBLEM_LIMIT = 20;

/**
 * A reference table's columns: canonical name → accepted header names (lower case, spaces and hyphens
 * read as underscores). Dutch aliases are what municipal exports use.
 */
export type ColumnAliases<Column extends string> = Record<Column, readonly string[]>;

/** A row of a reference table, valid until the next row is read (see readTable). */
export interface TableRow<Column extends string> {
  readonly line: number;
  get(column: Column): string;
}

function normaliseHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/**
 * Reads a reference CSV with csv-parse: `,` or `;` (or tab) as found in the header, UTF-8 with or without
 * BOM or Windows-1252, headers case-insensitive with aliases. Missing required columns stop the run (exit 2).
 * Each row it yields is read before the next one is asked for (see RowView).
 */
export function* readTable<Column extends string>(
  path: string,
  what: string,
  aliases: ColumnAliases<Column>,
  required: ReadonlyArray<NoInfer<Column>>,
  problems: RowProblems,
): Generator<TableRow<Column>> {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (error) {
    throw new ReferenceDataError(`${what} ${path}: ${describeFsError(error)}`);
  }
  // As UTF-8 bytes, for csv-parse and the line counter, which work on byte offsets.
  let bytes: Buffer;
  try {
    // Registers are often exported from Excel on Windows: Windows-1252 is read as such (see encoding.ts).
    const encoding = detectEncoding(raw, true);
    // A file that is valid UTF-8 is those bytes already, less its BOM: decoding it and encoding it again took
    // 10–19 ms of a caseload of 40,000 rows, on every run.
    if (encoding === 'utf-8' && isUtf8(raw)) bytes = raw.subarray(hasUtf8Bom(raw) ? 3 : 0);
    else bytes = Buffer.from(decodeText(raw, encoding).replace(/^\uFEFF/, ''), 'utf8');
  } catch (error) {
    throw new ReferenceDataError(`${what} ${path}: ${(error as Error).message}`);
  }
  const headerEnd = bytes.indexOf(0x0a);
  const firstLine = bytes.toString('utf8', 0, headerEnd < 0 ? bytes.length : headerEnd);
  const options: Options = {
    delimiter: detectDelimiter(firstLine),
    // Both line ends, always: left to itself csv-parse takes the first one it meets as the only one.
    record_delimiter: ['\r\n', '\n'],
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
  };
  let records: string[][];
  try {
    records = parse(bytes, options) as string[][];
  } catch (error) {
    // csv-parse's own line numbers read a CRLF inside quotes, and a lone CR, as a line: count from LFs.
    const offset = (error as { bytes?: number }).bytes;
    const where = offset === undefined ? '' : `:${csvLineCounter(bytes, 1).inRecord(offset)}`;
    throw new ReferenceDataError(`${what} ${path}${where}: ${(error as Error).message.replace(/ (?:at|on) line \d+/, '')}`);
  }
  const header = records[0];
  if (!header) throw new ReferenceDataError(`${what} ${path}: file is empty`, [], { hint: 'the first row names the columns' });
  const headers = header.map(normaliseHeader);
  const position = {} as Record<Column, number>;
  for (const column of Object.keys(aliases) as Column[]) {
    position[column] = headers.findIndex((name) => aliases[column].includes(name));
  }
  const missing = required.filter((column) => position[column] < 0);
  if (missing.length > 0) {
    throw new ReferenceDataError(`${what} ${path}: missing column ${missing.join(', ')}`, [], {
      hint: `accepted headers: ${missing.map((column) => `${column} (${aliases[column].join(', ')})`).join('; ')}`,
    });
  }
  let lines: number[] | null = null;
  const lineOf = (row: number) => (lines ??= recordLines(bytes, options))[row]!;
  const view = new RowView(position, lineOf);
  for (let row = 1; row < records.length; row++) {
    const record = records[row]!;
    if (record.length !== headers.length) {
      problems.add(lineOf(row), `expected ${headers.length} columns, found ${record.length}`);
      continue;
    }
    view.row = row;
    view.record = record;
    yield view;
  }
}

/**
 * The row readTable hands out: one object, moved from row to row, read before the next is asked for. An
 * object and a closure per row were a tenth of reading a caseload of 40,000 rows.
 */
class RowView<Column extends string> implements TableRow<Column> {
  row = 0;
  record: readonly string[] = [];

  constructor(
    private readonly position: Readonly<Record<Column, number>>,
    private readonly lineOf: (row: number) => number,
  ) {}

  get line(): number {
    return this.lineOf(this.row);
  }

  get(column: Column): string {
    const at = this.position[column];
    return at < 0 ? '' : this.record[at]!;
  }
}

/**
 * The first line of every record, for the rows a problem is reported on. csv-parse gives a record's byte
 * offset and raw text only through its per-record context, which made reading a caseload of 40,000 rows take
 * twice as long; so the table is read without, and read again with it only when a row is bad.
 */
function recordLines(bytes: Buffer, options: Options): number[] {
  const counter = csvLineCounter(bytes, 1);
  const lines: number[] = [];
  parse(bytes, {
    ...options,
    raw: true,
    on_record: (record, context) => {
      lines.push(counter.ofRecord(context.bytes, (record as unknown as { raw: string }).raw));
      return null;
    },
  });
  return lines;
}

/** Collects bad rows, then stops the run listing up to PROBLEM_LIMIT of them as file:line: reason. */
export class RowProblems {
  private readonly problems: string[] = [];
  private count = 0;

  constructor(
    private readonly what: string,
    private readonly path: string,
    private readonly hint = 'correct the reference file: the analysis depends on it',
  ) {}

  add(line: number, reason: string): void {
    this.count++;
    // A reason may quote a cell, and a cell may be megabytes of junk: the message stays one readable line.
    if (this.problems.length < PROBLEM_LIMIT) this.problems.push(`${this.path}:${line}: ${excerptOf(reason)}`);
  }

  throwIfAny(): void {
    if (this.count === 0) return;
    const more = this.count > this.problems.length ? ` (first ${this.problems.length} listed)` : '';
    throw new ReferenceDataError(`${this.what} ${this.path} has ${this.count} bad row(s)${more}`, this.problems, { hint: this.hint });
  }
}

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { ReferenceDataError } from '../errors.js';
import { detectDelimiter } from '../input/detect.js';
import { decodeText, detectEncoding } from '../input/encoding.js';
import { describeFsError } from '../input/sources.js';

/** A worklist row as read back: its cells by lower-case column name, and the line it starts on. */
export interface WorklistRow {
  line: number;
  cells: ReadonlyMap<string, string>;
}

/**
 * Decodes a worklist as Excel may have saved it: UTF-16 ("Unicode text"), or UTF-8 with or without a BOM, or
 * Windows-1252 (what "CSV (gescheiden door lijstscheidingsteken)" writes), told as for every input.
 */
function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  return decodeText(bytes, detectEncoding(bytes, true));
}

/**
 * Reads a worklist CSV (ours, or as a spreadsheet re-saved it) into rows keyed by the header's column names
 * (trimmed, lower case). Blank rows are skipped; each row keeps the line it starts on, for error messages.
 */
export function readWorklistFile(path: string): { columns: string[]; rows: WorklistRow[] } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new ReferenceDataError(`${path}: ${describeFsError(error)}`);
  }
  const text = decode(bytes);
  let records: string[][];
  try {
    records = parse(text, {
      // The separator as the header shows it: the worklists use `;`, an English Excel saves `,`, "Unicode text" tabs.
      delimiter: detectDelimiter(text.slice(0, text.search(/\r|\n|$/))),
      // Both line ends, always: left to itself csv-parse takes the first one it meets as the only one.
      record_delimiter: ['\r\n', '\n'],
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
    }) as string[][];
  } catch (error) {
    throw new ReferenceDataError(`${path}: not a readable CSV file (${(error as Error).message})`);
  }
  const columns = (records[0] ?? []).map((name) => name.trim().toLowerCase());
  const rows: WorklistRow[] = [];
  // Every physical line is a record (empty lines too), so a record starts after the lines of those before it.
  let line = 1;
  for (const record of records) {
    const start = line;
    line += 1 + record.reduce((sum, cell) => sum + (cell.match(/\n/g)?.length ?? 0), 0);
    if (start === 1 || record.every((cell) => cell.trim() === '')) continue;
    rows.push({ line: start, cells: new Map(columns.map((name, index) => [name, record[index] ?? ''])) });
  }
  return { columns, rows };
}

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { ReferenceDataError } from '../errors.js';
import { describeFsError } from '../input/sources.js';

/** A worklist row as read back: its cells by lower-case column name, and the line it starts on. */
export interface WorklistRow {
  line: number;
  cells: ReadonlyMap<string, string>;
}

/**
 * Decodes a worklist as Excel may have saved it: UTF-8 with or without a BOM, UTF-16 ("Unicode text"), or,
 * when the bytes are not UTF-8, Windows-1252 (what "CSV (gescheiden door lijstscheidingsteken)" writes).
 */
function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** The separator, told from the header: the worklists use `;`, an English Excel saves `,`, "Unicode text" tabs. */
function delimiterOf(text: string): string {
  const header = text.slice(0, text.search(/\r|\n|$/));
  const counts = [';', ',', '\t'].map((candidate) => [candidate, header.split(candidate).length] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
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
    records = parse(text, { delimiter: delimiterOf(text), bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (error) {
    throw new ReferenceDataError(`${path}: not a readable CSV file (${(error as Error).message})`);
  }
  const columns = (records[0] ?? []).map((name) => name.trim().toLowerCase());
  const rows: WorklistRow[] = [];
  // Every physical line is a record (empty lines too), so a record starts after the lines of those before it.
  let line = 1;
  for (const record of records) {
    const start = line;
    line += 1 + record.reduce((sum, cell) => sum + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    if (start === 1 || record.every((cell) => cell.trim() === '')) continue;
    rows.push({ line: start, cells: new Map(columns.map((name, index) => [name, record[index] ?? ''])) });
  }
  return { columns, rows };
}

import { Readable } from 'node:stream';
import { parse as parseCsvSync } from 'csv-parse/sync';
import streamArray from 'stream-json/streamers/stream-array.js';
import { InputError } from '../errors.js';
import { excerptOf } from './lines.js';

/**
 * Record streams for the layouts that need a real parser: header CSV (csv-parse) and a JSON array
 * (stream-json, one element at a time, never the whole file in memory). Records come in batches, in input
 * order, each with its line (CSV: first physical line of the record; JSON array: element number).
 */
export type StructuredItem =
  | { kind: 'record'; line: number; value: unknown; excerpt: () => string }
  | { kind: 'reject'; line: number; reason: string; excerpt: () => string };

const BATCH = 1000;

/** What the last line of a CSV file was, for the per-file line count. */
export interface CsvProgress {
  lastLine: number;
}

/** The columns of a CSV header line (lower-cased, trimmed), read with csv-parse. */
export function csvHeader(line: string, delimiter: string): string[] {
  const [header] = parseCsvSync(line.replace(/^\uFEFF/, ''), { delimiter, relax_column_count: true }) as string[][];
  return (header ?? []).map((name) => name.trim().toLowerCase());
}

interface CsvInfo {
  bytes: number;
}

/**
 * Records of CSV text (a chunk: it is read whole). With `columns`, the text has no header and its first line
 * is `firstLine`; without, the first row is the header. Each record's line is its first physical line,
 * counted from the record's byte offset: csv-parse's own line count reads a CRLF inside a quoted field as two
 * lines.
 */
export async function* csvRecords(
  content: AsyncIterable<Buffer> | Iterable<Buffer>,
  options: { delimiter: string; columns?: string[]; firstLine?: number },
  progress: CsvProgress,
): AsyncGenerator<StructuredItem[]> {
  const pieces: Buffer[] = [];
  for await (const piece of content) pieces.push(piece);
  const text = Buffer.concat(pieces);
  const firstLine = options.firstLine ?? 1;
  let cursor = 0;
  let linesBefore = 0;
  /** The line of the record starting at byte `rawStart` (blank lines before it skipped). */
  const lineOf = (rawStart: number): number => {
    let start = rawStart;
    while (text[start] === 0x0d || text[start] === 0x0a) start++;
    for (let at = text.indexOf(0x0a, cursor); at >= 0 && at < start; at = text.indexOf(0x0a, at + 1)) {
      linesBefore++;
      cursor = at + 1;
    }
    cursor = Math.max(cursor, start);
    return firstLine + linesBefore;
  };
  // csv-parse's `raw` sometimes holds the record's final LF and sometimes not; `info.bytes` is always the
  // offset after it.
  const startOf = (end: number, raw: string): number =>
    end - Buffer.byteLength(raw) - (!raw.endsWith('\n') && text[end - 1] === 0x0a ? 1 : 0);
  // A skipped record starts where the record before it ended (its own offsets depend on the error).
  let lastEnd = 0;
  const items: Array<{ start: number; spanned?: number; item: StructuredItem }> = [];
  let records: Array<{ record: Record<string, string>; info: CsvInfo; raw: string }>;
  try {
    records = parseCsvSync(text, {
      bom: true,
      delimiter: options.delimiter,
      // Both line ends, always: left to itself csv-parse takes the first one it meets as the only one, and a
      // concatenated file (or a chunk starting at a stray CR) would be read as one long record.
      record_delimiter: ['\r\n', '\n'],
      columns: options.columns ?? ((header: string[]) => header.map((name) => name.trim().toLowerCase())),
      info: true,
      raw: true,
      skip_records_with_error: true,
      skip_empty_lines: true,
      on_record: (record, context) => {
        lastEnd = (context as unknown as CsvInfo).bytes;
        return record;
      },
      on_skip: (error, raw) => {
        const failure = error as Error | undefined;
        if (!failure) return undefined;
        const start = lastEnd;
        // csv-parse's own line numbers count from the chunk and read CRLF inside quotes as two lines.
        const reason = failure.message.replace(/ (?:at|on) line \d+/, '');
        const spanned = (raw ?? '').replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '').split('\n').length - 1;
        items.push({ start, spanned, item: { kind: 'reject', line: 0, reason, excerpt: () => excerptOf((raw ?? '').trim()) } });
        return undefined;
      },
    }) as unknown as typeof records;
  } catch (error) {
    throw new InputError(`CSV cannot be read: ${(error as Error).message}`, { cause: error });
  }
  for (const { record, info, raw } of records) {
    items.push({ start: startOf(info.bytes, raw), item: { kind: 'record', line: 0, value: record, excerpt: () => excerptOf(raw.trim()) } });
  }
  items.sort((a, b) => a.start - b.start);
  for (const entry of items) {
    entry.item.line = lineOf(entry.start);
    // A quote that is never closed swallows the lines after it: say which.
    if (entry.item.kind === 'reject' && entry.spanned) {
      entry.item.reason += ` (lines ${entry.item.line}–${entry.item.line + entry.spanned} unreadable)`;
    }
  }
  const lines = text.length === 0 ? 0 : linesIn(text);
  progress.lastLine = Math.max(progress.lastLine, firstLine - 1 + lines);
  if (items.length > 0) yield items.map((entry) => entry.item);
}

function linesIn(text: Buffer): number {
  let lines = 0;
  for (let at = text.indexOf(0x0a); at >= 0; at = text.indexOf(0x0a, at + 1)) lines++;
  return text[text.length - 1] === 0x0a ? lines : lines + 1;
}

export async function* jsonArrayRecords(content: AsyncIterable<Buffer>, name: string): AsyncGenerator<StructuredItem[]> {
  const stream = streamArray.withParserAsStream();
  const input = Readable.from(content);
  input.on('error', (error) => stream.destroy(error));
  input.pipe(stream);
  let batch: StructuredItem[] = [];
  let position = 0;
  try {
    for await (const item of stream as AsyncIterable<{ key: number; value: unknown }>) {
      position = item.key + 1;
      const value = item.value;
      batch.push({ kind: 'record', line: position, value, excerpt: () => excerptOf(JSON.stringify(value)) });
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${name}: JSON cannot be read after element ${position}: ${(error as Error).message}`, {
      hint: 'check that the file is one JSON array; for big files export NDJSON (one object per line)',
      cause: error,
    });
  }
  if (batch.length > 0) yield batch;
}

import { parse as parseCsvSync } from 'csv-parse/sync';
import { createRequire } from 'node:module';
import type streamArray from 'stream-json/streamers/stream-array.js';
import { InputError } from '../errors.js';
import { hasInvalidBytes, invalidReason, toUtf8, type Encoding } from './encoding.js';
import { BINARY, excerptOf } from './lines.js';
import { through } from './sources.js';

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

/** What csv-parse tells about a record or an error: the offset after the last record or field it ended. */
interface CsvContext {
  bytes: number;
  raw: string;
  code?: string;
}

function newlinesIn(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * Line numbers in CSV text, counted from LFs. csv-parse's own count reads a CRLF inside a quoted field (and a
 * lone CR) as a line of its own, and byte offsets into its `raw` text are wrong after invalid UTF-8 (read as
 * U+FFFD, three bytes for one); LFs are kept exactly. Offsets are asked for in input order (an earlier one
 * costs a recount).
 */
export function csvLineCounter(text: Buffer, firstLine: number) {
  let counted = 0;
  let newlines = 0;
  const lineAt = (offset: number): number => {
    if (offset < counted) counted = newlines = 0;
    for (let at = text.indexOf(0x0a, counted); at >= 0 && at < offset; at = text.indexOf(0x0a, at + 1)) newlines++;
    counted = Math.max(counted, offset);
    return firstLine + newlines;
  };
  return {
    /**
     * The first line of a record that ends at `end` (after its line end). Its raw text starts with the blank
     * lines skipped before it, and lacks the LF of a CRLF that ends it.
     */
    ofRecord: (end: number, raw: string): number =>
      lineAt(end) - newlinesIn(raw.replace(/^[\r\n]+/, '')) - (!raw.endsWith('\n') && text[end - 1] === 0x0a ? 1 : 0),
    /** The line of an offset inside a record, or at its start (then blank lines before it are skipped). */
    inRecord(offset: number): number {
      let at = offset;
      while (text[at] === 0x0d || text[at] === 0x0a) at++;
      return lineAt(at);
    },
  };
}

/**
 * Records of CSV text (a chunk: it is read whole). With `columns`, the text has no header and its first line
 * is `firstLine`; without, the first row is the header. Records and rejects come in input order, one item
 * per record, each with its line: the record's first physical line (see csvLineCounter).
 */
export async function* csvRecords(
  content: AsyncIterable<Buffer> | Iterable<Buffer>,
  options: { delimiter: string; columns?: string[]; firstLine?: number; encoding?: Encoding },
  progress: CsvProgress,
): AsyncGenerator<StructuredItem[]> {
  const pieces: Buffer[] = [];
  for await (const piece of content) pieces.push(piece);
  const encoding = options.encoding ?? 'utf-8';
  const bytes = Buffer.concat(pieces);
  // csv-parse turns invalid bytes into U+FFFD without a word: in a chunk that holds some, a record holding
  // U+FFFD is rejected, as the line layouts reject such a line.
  const suspect = hasInvalidBytes(bytes, encoding);
  const text = toUtf8(bytes, encoding);
  const firstLine = options.firstLine ?? 1;
  const lines = csvLineCounter(text, firstLine);
  const items: StructuredItem[] = [];
  const rejects: Array<{ item: StructuredItem & { kind: 'reject' }; raw: string }> = [];
  /** The rejected record being read: csv-parse may report more errors in it, each with more of its text. */
  let open: { raw: string } | null = null;
  try {
    parseCsvSync(text, {
      bom: true,
      delimiter: options.delimiter,
      // Both line ends, always: left to itself csv-parse takes the first one it meets as the only one, and a
      // concatenated file (or a chunk starting at a stray CR) would be read as one long record.
      record_delimiter: ['\r\n', '\n'],
      columns: options.columns ?? ((header: string[]) => header.map((name) => name.trim().toLowerCase())),
      raw: true,
      skip_records_with_error: true,
      skip_empty_lines: true,
      // Records are kept here, in input order with the rejects, not in csv-parse's result.
      on_record: (parsed, context) => {
        const { bytes, raw } = context as unknown as CsvContext;
        const value = (parsed as unknown as { record: Record<string, string> }).record;
        open = null;
        const line = lines.ofRecord(bytes, raw);
        const excerpt = () => excerptOf(raw.trim());
        // The same lines the line layouts refuse: binary junk, and bytes the file's encoding does not define.
        if (raw.includes('\0')) items.push({ kind: 'reject', line, reason: BINARY, excerpt });
        else if (suspect && raw.includes('\uFFFD')) items.push({ kind: 'reject', line, reason: invalidReason(encoding), excerpt });
        else items.push({ kind: 'record', line, value, excerpt });
        return undefined;
      },
      on_skip: (error, raw) => {
        const failure = error as (Error & CsvContext) | undefined;
        if (!failure) return undefined;
        const seen = raw ?? '';
        const wholeRecord = failure.code === 'CSV_RECORD_INCONSISTENT_COLUMNS';
        // A line of only spaces is blank, as in the line layouts, not a row with too few columns.
        if (wholeRecord && open === null && seen.trim() === '') return undefined;
        if (open !== null && seen.length > open.raw.length && seen.startsWith(open.raw)) {
          // A later error in the same record: the record has its reject already; keep what this one saw.
          rejects[rejects.length - 1]!.raw = open.raw = seen;
        } else {
          // csv-parse's own line numbers count from the chunk and read CRLF inside quotes as two lines.
          const reason = failure.message.replace(/ (?:at|on) line \d+/, '');
          const line = wholeRecord ? lines.ofRecord(failure.bytes, seen) : lines.inRecord(failure.bytes);
          const item = { kind: 'reject' as const, line, reason, excerpt: () => '' };
          items.push(item);
          rejects.push({ item, raw: seen });
          open = { raw: seen };
        }
        if (wholeRecord) open = null;
        return undefined;
      },
    });
  } catch (error) {
    throw new InputError(`CSV cannot be read: ${(error as Error).message}`, { cause: error });
  }
  for (const { item, raw } of rejects) {
    item.excerpt = () => excerptOf(raw.trim());
    // A quote that is never closed swallows the lines after it: say which.
    const spanned = newlinesIn(raw.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, ''));
    if (spanned > 0) item.reason += ` (lines ${item.line}–${item.line + spanned} unreadable)`;
  }
  progress.lastLine = Math.max(progress.lastLine, firstLine - 1 + (text.length === 0 ? 0 : linesIn(text)));
  if (items.length > 0) yield items;
}

function linesIn(text: Buffer): number {
  let lines = 0;
  for (let at = text.indexOf(0x0a); at >= 0; at = text.indexOf(0x0a, at + 1)) lines++;
  return text[text.length - 1] === 0x0a ? lines : lines + 1;
}

export async function* jsonArrayRecords(content: AsyncIterable<Buffer>, name: string): AsyncGenerator<StructuredItem[]> {
  // Loaded here, in the main thread only: workers never read a JSON array.
  const streamer = (createRequire(import.meta.url)('stream-json/streamers/stream-array.js') as { default: typeof streamArray }).default;
  const stream = streamer.withParserAsStream();
  let batch: StructuredItem[] = [];
  let position = 0;
  try {
    for await (const item of through<{ key: number; value: unknown }>(content, stream)) {
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

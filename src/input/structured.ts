import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
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
  | { kind: 'reject'; line: number; reason: string; excerpt: string };

const BATCH = 1000;

function newlinesIn(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index >= 0 && index < text.length - 1; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

interface CsvInfo {
  lines: number;
}

/** What the last line of a CSV file was, for the per-file line count. */
export interface CsvProgress {
  lastLine: number;
}

export async function* csvRecords(
  content: AsyncIterable<Buffer>,
  delimiter: string,
  progress: CsvProgress,
): AsyncGenerator<StructuredItem[]> {
  const parser = parseCsv({
    bom: true,
    delimiter,
    columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
    info: true,
    raw: true,
    skip_records_with_error: true,
    skip_empty_lines: true,
  });
  const skipped: StructuredItem[] = [];
  parser.on('skip', (error: Error & { lines: number; raw?: string; code?: string }) => {
    const raw = error.raw ?? '';
    const first = error.lines - newlinesIn(raw.replace(/^\n+/, ''));
    const span = first < error.lines ? ` (lines ${first}–${error.lines} unreadable)` : '';
    progress.lastLine = Math.max(progress.lastLine, error.lines);
    skipped.push({ kind: 'reject', line: first, reason: `${error.message.replace(/ on line \d+$/, '')}${span}`, excerpt: excerptOf(raw.trim()) });
  });
  const input = Readable.from(content);
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let batch: StructuredItem[] = [];
  try {
    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: CsvInfo; raw: string }>) {
      const line = item.info.lines - newlinesIn(item.raw);
      progress.lastLine = Math.max(progress.lastLine, item.info.lines);
      while (skipped.length > 0 && skipped[0]!.line < line) batch.push(skipped.shift()!);
      const raw = item.raw;
      batch.push({ kind: 'record', line, value: item.record, excerpt: () => excerptOf(raw.trimEnd()) });
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`CSV cannot be read: ${(error as Error).message}`, { cause: error });
  }
  batch.push(...skipped);
  if (batch.length > 0) yield batch;
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

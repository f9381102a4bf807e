import type { RecordSource } from '../input/mapping.js';
import { csvRecords, type CsvProgress, type StructuredItem } from '../input/structured.js';
import { evaluateLineChunk, evaluateRecords, lineParserFor, type ChunkResult } from './chunk.js';
import type { Engine } from './setup.js';

/**
 * One chunk of one file, as the main thread hands it to a worker: raw bytes (transferred, never copied) that
 * end on a record boundary, and where they come from. Nothing parsed crosses the thread boundary.
 */
export type ChunkTask =
  | { kind: 'lines'; bytes: Uint8Array; firstLine: number; atFileStart: boolean; origin: RecordSource; forced: boolean }
  | { kind: 'csv'; bytes: Uint8Array; firstLine: number; origin: RecordSource; delimiter: string; columns: string[] };

export type { ChunkResult };

/** Evaluates one chunk with the engine of the thread it runs in. */
export async function runTask(engine: Engine, task: ChunkTask): Promise<ChunkResult> {
  if (task.kind === 'lines') {
    const parse = lineParserFor(task.origin, task.forced, engine.parse);
    return evaluateLineChunk(task.bytes, task.firstLine, task.atFileStart, task.origin, parse, engine.runner, engine.sample);
  }
  const read = engine.csvReader!(task.origin);
  const progress: CsvProgress = { lastLine: 0 };
  const items: StructuredItem[] = [];
  const text = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
  for await (const batch of csvRecords([text], { delimiter: task.delimiter, columns: task.columns, firstLine: task.firstLine, encoding: task.origin.encoding }, progress)) {
    items.push(...batch);
  }
  return evaluateRecords(items, task.origin, read, engine.runner, engine.sample);
}

/**
 * The worker thread: builds its own engine once from the run's settings (rules loaded by module URL, the
 * reference data cloned in), then evaluates chunks.
 */
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { trustSchemas } from '../rule-api/schema.js';
import { buildEngine, type EngineSettings } from './setup.js';
import { runTask, type ChunkResult, type ChunkTask } from './task.js';

trustSchemas();
const engine = await buildEngine(workerData as EngineSettings);

/** The result, with the chunk's bytes handed back (transferred) for the main thread to read the next chunk into. */
export default async function evaluateChunk(task: ChunkTask): Promise<unknown> {
  const result: ChunkResult = { ...(await runTask(engine, task)), bytes: task.bytes };
  return move({
    get [transferableSymbol]() {
      return [task.bytes.buffer];
    },
    get [valueSymbol]() {
      return result;
    },
  });
}

/**
 * The worker thread: builds its own engine once from the run's settings (rules loaded by module URL, the
 * reference data cloned in), then evaluates chunks.
 */
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { trustSchemas } from '../rule-api/schema.js';
import { tightenHeaps } from './heap.js';
import { buildEngine, type EngineSettings } from './setup.js';
import { runTask, type ChunkResult, type ChunkTask } from './task.js';

const settings = workerData as EngineSettings;
// Setting up this thread's heap let the young generations grow again (see tightenHeaps).
if (settings.tightHeaps) tightenHeaps();
trustSchemas();
const engine = await buildEngine(settings);

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

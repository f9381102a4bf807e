/**
 * The worker thread: builds its own engine once from the run's settings (rules loaded by module URL, the
 * reference data cloned in), then evaluates chunks.
 */
import { workerData } from 'piscina';
import { buildEngine, type EngineSettings } from './setup.js';
import { runTask, type ChunkResult, type ChunkTask } from './task.js';

const engine = await buildEngine(workerData as EngineSettings);

export default function evaluateChunk(task: ChunkTask): Promise<ChunkResult> {
  return runTask(engine, task);
}

/**
 * The worker thread: starts with the run (see WorkerPool), waits for the run's settings, builds its own
 * engine once from them (rules loaded by module URL, the reference data cloned in), then evaluates chunks.
 */
import { BroadcastChannel } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { trustSchemas } from '../rule-api/schema.js';
import { isSettingsMessage, SETTINGS_WANTED, type PoolData } from './pool.js';
import { BUILTIN_RULES, buildEngine, type EngineSettings } from './setup.js';
import { runTask, type ChunkResult, type ChunkTask } from './task.js';

/** The settings the main thread sends, once it has them. The other workers' requests pass on the same channel. */
function settingsOfRun(): Promise<EngineSettings> {
  const channel = new BroadcastChannel((workerData as PoolData).settingsChannel);
  return new Promise((resolve) => {
    channel.onmessage = (event) => {
      const { data } = event as MessageEvent;
      if (!isSettingsMessage(data)) return;
      channel.close();
      resolve(data.settings);
    };
    channel.postMessage(SETTINGS_WANTED);
  });
}

trustSchemas();
// The built-in rules are loaded while the settings are awaited: buildEngine then finds them in the module
// cache. A failure to load them is reported by buildEngine, which imports them again.
import(BUILTIN_RULES).catch(() => undefined);
const engine = await buildEngine(await settingsOfRun());

/**
 * The result, with the chunk's bytes handed back (transferred) for the main thread to read the next chunk
 * into; bytes in shared memory stay where they are, and the main thread reuses them when the result is in.
 */
export default async function evaluateChunk(task: ChunkTask): Promise<unknown> {
  const evaluated = await runTask(engine, task);
  if (!(task.bytes.buffer instanceof ArrayBuffer)) return evaluated;
  const result: ChunkResult = { ...evaluated, bytes: task.bytes };
  return move({
    get [transferableSymbol]() {
      return [task.bytes.buffer];
    },
    get [valueSymbol]() {
      return result;
    },
  });
}

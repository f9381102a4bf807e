/**
 * The heap sizes of a run's threads. Most of a run's peak is heap that V8 keeps around, not data: a
 * worker keeps about 8 MB alive, the main thread about 15 MB plus the windowed rules' state.
 */
import { setFlagsFromString } from 'node:v8';
import type { ResourceLimits } from 'node:worker_threads';

/**
 * A worker's limits, in MB.
 * - The young generation: V8 lets it grow to 32 MB and more, and keeps it resident; what a chunk allocates
 *   (lookups, 64 KiB pieces of text) dies young either way. 8 MB took 80–100 MB off the peak of a run with
 *   two workers, at no cost in time that the benchmark could see.
 * - The old generation: V8 lets it fill with garbage up to a multiple of what its last full collection kept,
 *   and takes a larger multiple the higher the limit. By default the limit follows the machine's memory
 *   (4 GB on a 24 GB machine), and a worker held 21–28 MB of old generation. With 1 GB it holds about half
 *   of that: the peak of a 1 GB classic file went from 318–325 to 266–286 MB, at no cost in time. A worker
 *   holds one chunk (64 MiB at most: the longest line read) and what its lookups leave; a worker that still
 *   runs out fails the run with exit 3 (`--workers 0` runs without the limit).
 */
export const WORKER_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 1024 };

/**
 * Holds the young generation of every thread of the process at the size it has now.
 *
 * V8 doubles a thread's young generation whenever more has survived its collections since the last step
 * than it holds, up to 32 MB. The main thread gets there while it reads the caseload and merges the
 * workers' results, and keeps it: 20 MB of the peak. `--max-semi-space-size` would cap it, but that is a
 * command-line flag, read when a thread's heap is set up, and the command runs as `node
 * bin/suwinet-audit.js` or npm's shim. The growth factor, though, is read each time a young generation
 * would grow: at 1, none grows.
 *
 * The flag is the process's, so only the command sets it (a program that imports the engine keeps its own
 * heaps), and it does not stay set: V8 puts it back to 2 whenever a thread's heap is set up. So every
 * thread a run starts (the holiday thread, each worker) holds it again first thing. The main thread may
 * grow a step in between: it ends a run at 8 MB, sometimes 16. The workers' own young generations are held
 * too, near where they start: the benchmark ran no slower than with theirs started at their limit.
 */
export function holdYoungGenerations(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

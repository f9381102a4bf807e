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
 * Keeps the heaps of every thread of the process close to what they hold alive. Two V8 flags, both read
 * whenever V8 sizes a heap, not only when it sets one up:
 * - `--semi-space-growth-factor=1` holds each young generation where it is. V8 doubles a young generation
 *   whenever more has survived its collections since the last step than it holds, up to 32 MB. The main
 *   thread got there while it read the caseload and merged the workers' results, and kept it: 20 MB of the
 *   peak.
 * - `--heap-growing-percent=100` lets an old generation grow to twice what its last full collection kept
 *   before the next one, where V8 takes up to four times when the machine has memory. The main thread,
 *   which holds the windowed rules' state, otherwise ended a month of 10 million lookups with every rule
 *   with 130–200 MB of garbage.
 *
 * Measured with the benchmark: the 1 GB classic file peaked at 243–246 MB instead of 253–270 (held young
 * generations alone); ten million v5 lookups with every rule at 670 MB instead of 745 (neither flag) or
 * 827 (held young generations alone, which promote more to the old generation). No run was slower beyond
 * the benchmark's noise.
 *
 * `--max-semi-space-size` and `--max-old-space-size` would do it too, but they are command-line flags,
 * read when a thread's heap is set up, and the command runs as `node bin/suwinet-audit.js` or npm's shim.
 * The flags are the process's, so only the command sets them (a program that imports the engine keeps its
 * own heaps). And V8 puts the growth factor back to 2 whenever a thread's heap is set up, so every thread a
 * run starts (the holiday thread, each worker) sets them again first thing; the main thread's young
 * generation may grow a step in between (it ends a run at 8 MB, sometimes 16). A worker's own young
 * generation starts at its limit (see startWorkerYoungGenerationsFull).
 */
export function tightenHeaps(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--heap-growing-percent=100');
}

/**
 * Threads started from now on start with their young generation at its limit (`--min-semi-space-size`,
 * capped by a worker's `maxYoungGenerationSizeMb`), where it is held from the start. A thread starts at
 * 1 MB semi-spaces otherwise, and a worker would stay there and collect several times as often as with
 * the 8 MB it grew to before young generations were held.
 */
export function startWorkerYoungGenerationsFull(): void {
  setFlagsFromString(`--min-semi-space-size=${WORKER_LIMITS.maxYoungGenerationSizeMb}`);
}

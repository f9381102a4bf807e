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
 *   of that: the peak of a 1 GB classic file went from 311–317 to 260–279 MiB, at no cost in time. A worker
 *   holds one chunk (64 MiB at most: the longest line read) and what its lookups leave; a worker that still
 *   runs out fails the run with exit 3 (`--workers 0` runs without the limit).
 */
export const WORKER_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 1024 };

/**
 * Lets every old generation of the process grow to twice what its last full collection kept before the
 * next one (`--heap-growing-percent=100`), where V8 takes up to four times on a machine with memory. Much
 * of what the main thread promotes while it merges the workers' results dies soon after, in the old
 * generation: the 1 GB classic file peaked at 247–257 MiB instead of 270–279, with no cost in time that
 * the benchmark could see. (A month of ten million lookups with every rule, where the state itself is most
 * of the peak, changed little: 720 MiB against 728.)
 *
 * `--max-old-space-size` would do it too, but it is a command-line flag, read when a thread's heap is set
 * up, and the command runs as `node bin/suwinet-audit.js` or npm's shim. This flag is read each time V8
 * sets an old generation's next limit, so setting it at run time works, also for the workers started
 * after. It replaces V8's own factor, which is lower (1.1–1.3) while a heap grows slowly or is tight; the
 * command sets it only once the reference data is read (see runAnalyze), and never a program that imports
 * the engine: it is the whole process's.
 *
 * Holding the young generations as well (`--semi-space-growth-factor=1`; the main thread's grows to 32 MB)
 * took another 15 MiB off the 1 GB file and 65 off the ten million lookups, but made runs 3–5% slower, and
 * V8 puts that flag back whenever a thread's heap is set up, so every thread had to set it again. Left out.
 */
export function tightenHeaps(): void {
  setFlagsFromString('--heap-growing-percent=100');
}

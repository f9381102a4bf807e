/**
 * The worker pool starts before the run's settings are known (see WorkerPool): the workers must get them
 * however the two meet, and a run that fails before it configures its pool must not hang.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, cli, removeTempDirs, tempDir } from '../e2e/cli-helpers.js';

afterAll(removeTempDirs);

// The built engine (npm test builds dist/ first): workers need compiled JavaScript.
const built = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(ROOT, 'dist/src', path)).href)) as T;
const { analyze, prepareAnalysis } = await built<typeof import('../../src/engine/analyze.js')>('engine/analyze.js');
const { startWorkers } = await built<typeof import('../../src/engine/pool.js')>('engine/pool.js');
const { loadCaseload } = await built<typeof import('../../src/reference/loaders.js')>('reference/loaders.js');
const { BUILTIN_RULES } = await built<typeof import('../../src/engine/setup.js')>('engine/setup.js');
const { runTask } = await built<typeof import('../../src/engine/task.js')>('engine/task.js');

const demo = join(ROOT, 'fixtures', 'demo');
const settings = (workers: number) => ({
  inputs: [join(demo, 'logs', '2026-04-b-raadpleegpersoon_v5.log')],
  format: 'auto' as const,
  timezone: 'Europe/Amsterdam',
  reference: { cases: loadCaseload(join(demo, 'ref', 'caseload.csv')) },
  ruleModules: [BUILTIN_RULES],
  workers,
  // Small chunks: every worker gets some.
  chunkSize: 64 << 10,
});
const events = { reject() {}, notice() {}, skip() {} };
const findingsOf = async (workers: number, pool = startWorkers(0), wait = 0) => {
  const prepared = await prepareAnalysis(settings(workers), null, pool);
  await new Promise((resolve) => setTimeout(resolve, wait));
  return JSON.stringify((await analyze(prepared, events)).findings);
};

describe('WorkerPool', () => {
  it('gives workers started early the settings, whether they ask before or after these are sent', async () => {
    const alone = await findingsOf(0);
    expect(JSON.parse(alone).length).toBeGreaterThanOrEqual(10);
    // Sent at once: the workers are still starting, and get them when they ask.
    expect(await findingsOf(2, startWorkers(2))).toBe(alone);
    // Sent when the workers have long been waiting: they get the message itself.
    expect(await findingsOf(2, startWorkers(2), 1500)).toBe(alone);
  }, 30_000);

  it('shares a chunk in shared memory with the worker, and moves any other there and back', async () => {
    const pool = startWorkers(1)!;
    try {
      pool.configure({ format: 'auto', timezone: 'Europe/Amsterdam', reference: {}, ruleModules: [] });
      const text = readFileSync(settings(1).inputs[0]!);
      const task = (bytes: Uint8Array) => ({
        kind: 'lines' as const, bytes, firstLine: 1, atFileStart: true, forced: false,
        origin: { layout: 'v5' as const, file: 'v5.log', source: 0, encoding: 'utf-8' as const },
      });
      const shared = new Uint8Array(new SharedArrayBuffer(text.length));
      shared.set(text);
      const inShared = await pool.run(task(shared));
      // Nothing moved: the main thread reads the same memory, and reads the next chunk into it.
      expect(inShared.bytes).toBeUndefined();
      expect(Buffer.from(shared).equals(text)).toBe(true);
      const own = new Uint8Array(text);
      const moved = await pool.run(task(own));
      expect(own.byteLength).toBe(0); // moved to the worker
      expect(Buffer.from(moved.bytes!).equals(text)).toBe(true);
      expect(moved.stats).toEqual(inShared.stats);
      expect(inShared.stats.lookups).toBeGreaterThan(100);
    } finally {
      await pool.destroy();
    }
  });

  it('holds one chunk per worker and one more in flight, and reads on only when one is done', async () => {
    // A pool that evaluates in this thread, and only when the run has stopped handing it chunks: how many it
    // holds then is how many the run keeps in flight.
    let engine: Awaited<ReturnType<typeof prepareAnalysis>>['engine'] | null = null;
    const held: Array<() => void> = [];
    let handedAt = 0;
    let most = 0;
    let tasks = 0;
    const pool = {
      size: 2,
      failure: null,
      configure() {},
      destroy: async () => undefined,
      run(task: Parameters<typeof runTask>[1]) {
        tasks++;
        handedAt = Date.now();
        return new Promise((resolve) => {
          held.push(() => resolve(runTask(engine!, task)));
          most = Math.max(most, held.length);
        });
      },
    };
    const release = setInterval(() => {
      if (held.length > 0 && Date.now() - handedAt > 50) held.shift()!();
    }, 5);
    try {
      const prepared = await prepareAnalysis(settings(2), null, pool as unknown as NonNullable<Parameters<typeof prepareAnalysis>[2]>);
      engine = prepared.engine;
      const findings = JSON.stringify((await analyze(prepared, events)).findings);
      expect(findings).toBe(await findingsOf(0));
      expect(tasks).toBeGreaterThan(5);
      expect(most).toBe(3);
    } finally {
      clearInterval(release);
    }
  }, 30_000);

  it('takes its settings once, for a pool of the run\'s size', async () => {
    const pool = startWorkers(1)!;
    try {
      await expect(prepareAnalysis(settings(2), null, pool)).rejects.toThrow('a pool of 1 workers for a run of 2');
      pool.configure({ format: 'auto', timezone: 'Europe/Amsterdam', reference: {}, ruleModules: [] });
      expect(() => pool.configure({ format: 'auto', timezone: 'Europe/Amsterdam', reference: {}, ruleModules: [] })).toThrow('configured already');
    } finally {
      await pool.destroy();
      await pool.destroy();
    }
  });

  it('stops the workers of a run that fails before they get their settings: the command ends, exit 2', () => {
    const started = Date.now();
    const result = cli(['analyze', join(demo, 'logs'), '--cases', join(tempDir(), 'missing.csv'), '--out', join(tempDir(), 'out'), '--workers', '2']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing.csv');
    // spawnSync returns when the process has ended: workers left running would keep it alive for good.
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 20_000);
});

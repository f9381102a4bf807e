/** Interrupts and worker failures: a clear message, the documented exit code, no hang, no partial outputs. */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { secondsLeft, type ProgressPoint } from '../../src/analyze-command.js';
import { ROOT, removeTempDirs, tempDir } from './cli-helpers.js';

afterAll(removeTempDirs);

const offHoursLog = join(ROOT, 'fixtures', 'rules', 'off-hours', 'classic.log');

describe('interrupts', () => {
  // SIGTERM's run goes into a folder that was there before it (empty), SIGINT's into one it creates.
  for (const [signal, existing] of [['SIGINT', false], ['SIGTERM', true]] as const) {
    it(`stops on ${signal} with exit 130, leaving no outputs, no staging folder and ${existing ? 'the empty folder it found' : 'no folder it created'}`, async () => {
      const out = join(tempDir(), 'out');
      if (existing) mkdirSync(out);
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'suwinet-audit.js'), 'analyze', '-', '--out', out, '--workers', '2'], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
      // Standard input stays open: the run waits for more, as a pipe from a slow producer would.
      child.stdin.write(readFileSync(offHoursLog));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      child.kill(signal);
      const code = await exited;
      expect(code).toBe(130);
      expect(stderr).toContain('suwinet-audit: interrupted; nothing was written');
      expect(existsSync(out)).toBe(existing);
      if (existing) expect(readdirSync(out)).toEqual([]);
      expect(readdirSync(dirname(out)).filter((name) => name.includes('partial'))).toEqual([]);
    }, 20_000);
  }
});

describe('worker failure', () => {
  it('reports a worker that dies as a failure of the run (exit 3), without hanging', async () => {
    // The built engine (npm test builds dist/ first): workers need compiled JavaScript.
    const { analyze, prepareAnalysis } = (await import(pathToFileURL(join(ROOT, 'dist/src/engine/analyze.js')).href)) as typeof import('../../src/engine/analyze.js');
    const prepared = await prepareAnalysis({
      inputs: [offHoursLog],
      format: 'auto',
      timezone: 'Europe/Amsterdam',
      reference: {},
      ruleModules: [pathToFileURL(join(ROOT, 'tests/fixtures/crash-rule.mjs')).href],
      workers: 1,
    });
    const failure = await analyze(prepared, { reject() {}, notice() {}, skip() {} }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/^a worker failed while reading .*classic\.log: /);
    expect((failure as { exitCode?: number }).exitCode).toBe(3);
  }, 20_000);
});

describe('leftovers and progress', () => {
  it('removes the staging folder of a run that died, and says so', async () => {
    const { cli } = await import('./cli-helpers.js');
    const parent = tempDir();
    const out = join(parent, 'audit');
    // Process id 2^22 + 1 is above Linux's pid_max default: no such process is alive.
    const leftover = join(parent, `.audit.partial-${2 ** 22 + 1}`);
    mkdirSync(leftover);
    writeFileSync(join(leftover, 'rejects.csv'), 'half');
    const result = cli(['analyze', offHoursLog, '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`notice: removed ${leftover}, left behind by an interrupted run`);
    expect(readdirSync(parent)).toEqual(['audit']);
    expect(readdirSync(out).sort()).toEqual(['findings.csv', 'findings.jsonl', 'manifest.json', 'rejects.csv', 'report.html', 'summary.json', 'suppressed.jsonl', 'worklists']);
  });

  it('reports progress once per 10% with --progress, and nothing without it when stderr is not a terminal', async () => {
    const { cli } = await import('./cli-helpers.js');
    const month = join(ROOT, 'tests/acceptance/lindenhoeve/logs');
    const loud = cli(['analyze', month, '--out', join(tempDir(), 'out'), '--progress', '--chunk-size', '64KiB', '-q']);
    expect(loud.stderr).not.toContain('progress:');
    const out = join(tempDir(), 'out');
    const shown = cli(['analyze', month, '--out', out, '--progress', '--chunk-size', '64KiB', '--fail-on', 'never']);
    const lines = shown.stderr.split('\n').filter((line) => line.startsWith('progress: '));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.length).toBeLessThanOrEqual(10);
    expect(lines.at(-1)).toMatch(/^progress: read [\d.]+ of [\d.]+ MiB, \d+ lookups \(\d+\/s\)/);
    // Bytes and lookups tell of the same point: the month (a gzipped file, whose reading runs ahead of its
    // chunks, then a plain one) is read whole only when every lookup is counted.
    const points = lines.map((line) => /read ([\d.]+) of ([\d.]+) MiB, (\d+) lookups/.exec(line)!.slice(1).map(Number));
    const [read, total, lookups] = points.at(-1)!;
    expect(read).toBe(total);
    expect(lookups).toBe(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).totals.lookups);
    expect(points.slice(0, -1).every((point) => point[0]! < total! && point[2]! < lookups!)).toBe(true);
    const silent = cli(['analyze', month, '--out', join(tempDir(), 'out'), '--fail-on', 'never']);
    expect(silent.stderr).not.toContain('progress');
  });

  it('reports progress of a JSON array (read on the main thread, ahead of its records) up to its last lookup', async () => {
    const { cli } = await import('./cli-helpers.js');
    const folder = tempDir();
    // The demo's NDJSON export as one array, repeated into a few MiB: the parser reads it in many batches.
    const records = readFileSync(join(ROOT, 'fixtures/demo/logs/2026-04-inlezen.ndjson'), 'utf8')
      .split('\n')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as unknown];
        } catch {
          return [];
        }
      });
    const array = join(folder, 'export.json');
    writeFileSync(array, JSON.stringify(Array.from({ length: 20 }, () => records).flat()));
    const out = join(folder, 'out');
    const mapping = join(ROOT, 'fixtures/demo/inlezen.mapping.json');
    const result = cli(['analyze', array, '--mapping', mapping, '--out', out, '--progress', '--fail-on', 'never']);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('progress: '));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const lookups = lines.map((line) => Number(/, (\d+) lookups/.exec(line)![1]));
    const total = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).totals.lookups;
    expect(lookups.at(-1)).toBe(total);
    expect(lookups.slice(0, -1).every((count) => count < total)).toBe(true);
    expect(lines.at(-1)).toMatch(/^progress: read ([\d.]+) of \1 MiB/);
  });

  it('reports progress of standard input, whose size is not known, when all is read', async () => {
    const { cli } = await import('./cli-helpers.js');
    const out = join(tempDir(), 'out');
    const log = readFileSync(join(ROOT, 'tests/acceptance/lindenhoeve/logs/inkijk-2026-03-b-raadpleegpersoon_v5.log'));
    const result = cli(['analyze', '-', '--out', out, '--progress', '--chunk-size', '64KiB', '--fail-on', 'never'], { input: log });
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('progress: '));
    // A run of a second: no line of the 10 s (checked by hand with a pause in the input), and one at the end
    // that says all was read, with every lookup.
    expect(lines).toHaveLength(1);
    const [, mebibytes, lookups] = /^progress: read ([\d.]+) MiB, (\d+) lookups \(\d+\/s\), all read$/.exec(lines[0]!)!;
    expect(Number(mebibytes)).toBeCloseTo(log.length / 2 ** 20, 1);
    expect(Number(lookups)).toBe(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).totals.lookups);
  });

  it('estimates the time left from the rate since the first progress, not since the start', () => {
    const MiB = 1 << 20;
    const table: Array<[since: ProgressPoint, now: ProgressPoint, total: number, left: number | null]> = [
      // 100 MiB in the 2 s since the first progress: 800 MiB to go take 16 s (since the start at 0, 20 s).
      [{ at: 1000, bytes: 0 }, { at: 3000, bytes: 100 * MiB }, 900 * MiB, 16],
      [{ at: 1000, bytes: 8 * MiB }, { at: 2000, bytes: 108 * MiB }, 1000 * MiB, 9],
      // Rounded up: a little is still some time.
      [{ at: 0, bytes: 0 }, { at: 1000, bytes: 100 * MiB }, 101 * MiB, 1],
      // No rate yet (the first progress itself, or nothing read since), and nothing left at the end.
      [{ at: 1000, bytes: 8 * MiB }, { at: 1000, bytes: 8 * MiB }, 100 * MiB, null],
      [{ at: 1000, bytes: 8 * MiB }, { at: 1500, bytes: 8 * MiB }, 100 * MiB, null],
      [{ at: 1000, bytes: 8 * MiB }, { at: 2000, bytes: 100 * MiB }, 100 * MiB, null],
    ];
    for (const [since, now, total, left] of table) expect(secondsLeft(since, now, total), JSON.stringify([since, now, total])).toBe(left);
  });
});

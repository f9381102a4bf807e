/**
 * The same input and settings give byte-identical outputs whatever the number of workers or the chunk size,
 * including bursts that straddle chunk and file boundaries.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, analyzeMonth, cli, outputsOf, readFindings, removeTempDirs, tempDir } from './cli-helpers.js';

afterAll(removeTempDirs);

const SETTINGS: Array<[workers: string, chunkSize: string]> = [
  ['0', '4MiB'],
  ['2', '8MiB'],
  ['1', '4MiB'],
  ['2', '4MiB'],
  ['4', '4MiB'],
  ['1', '64KiB'],
  ['2', '64KiB'],
  ['4', '64KiB'],
];

describe('determinism', () => {
  it('gives byte-identical outputs on a month for workers 0, 1, 2, 4 and chunk sizes 4 MiB and 64 KiB', () => {
    const month = join(ROOT, 'tests/acceptance/lindenhoeve');
    const runs = SETTINGS.map(([workers, chunkSize]) => {
      const out = join(tempDir(), 'out');
      expect(analyzeMonth(month, out, ['--workers', workers, '--chunk-size', chunkSize, '--quiet']).code).toBe(1);
      return outputsOf(out);
    });
    expect(runs[0]!['findings.jsonl']!.split('\n').length).toBeGreaterThan(30);
    for (const run of runs.slice(1)) expect(run).toEqual(runs[0]);
  }, 120_000);

  it('finds a burst that straddles two files and many chunks, the same for any workers and chunk size', () => {
    const dir = tempDir();
    const fixture = join(ROOT, 'fixtures/rules/bulk-lookups');
    const lines = readFileSync(join(fixture, 'inlezen.ndjson'), 'utf8').split('\n');
    writeFileSync(join(dir, 'a.ndjson'), lines.slice(0, 80).join('\n') + '\n');
    writeFileSync(join(dir, 'b.ndjson'), lines.slice(80).join('\n'));
    const runs = SETTINGS.map(([workers]) => {
      const out = join(tempDir(), 'out');
      const args = ['analyze', dir, '--mapping', join(fixture, 'mapping.json'), '--rules', 'bulk-lookups', '--out', out];
      expect(cli([...args, '--workers', workers, '--chunk-size', '1KiB', '--quiet', '--fail-on', 'never']).code).toBe(0);
      return outputsOf(out);
    });
    for (const run of runs.slice(1)) expect(run).toEqual(runs[0]);
    const out = join(tempDir(), 'out');
    cli(['analyze', dir, '--mapping', join(fixture, 'mapping.json'), '--rules', 'bulk-lookups', '--out', out, '-q']);
    const [burst] = readFindings(out);
    expect(burst).toMatchObject({ count: 120, from: '2026-04-09T10:00:00+02:00', to: '2026-04-09T10:39:40+02:00' });
    expect(new Set(burst!.evidence.map((evidence) => evidence.file))).toEqual(new Set([join(dir, 'a.ndjson'), join(dir, 'b.ndjson')]));
  }, 120_000);
});

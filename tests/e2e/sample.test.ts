/** The steekproef: lookups without findings, stratified over the employees, the same for the same seed. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, analyzeMonth, cli, readFindings, readSummary, removeTempDirs, tempDir } from './cli-helpers.js';

afterAll(removeTempDirs);

const DEMO = join(ROOT, 'fixtures', 'demo');
const mapping = ['--mapping', join(DEMO, 'inlezen.mapping.json')];

function runSample(extra: string[]) {
  const out = join(tempDir(), 'audit');
  analyzeMonth(DEMO, out, [...mapping, '-q', '--fail-on', 'never', ...extra]);
  const text = readFileSync(join(out, 'sample.csv'), 'utf8');
  const rows = parse(text, { bom: true, delimiter: ';', columns: true }) as Array<Record<string, string>>;
  return { out, text, rows };
}

describe('steekproef', () => {
  it('draws n lookups without findings, one per employee before any employee gets a second', () => {
    const { out, rows } = runSample(['--sample', '12', '--seed', '2026']);
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((row) => row['medewerker'])).size).toBe(12);
    const flagged = new Set(readFindings(out).flatMap((finding) => finding.evidence.map(({ file, line }) => `${file}:${line}`)));
    for (const row of rows) {
      const [, line, file] = /regel (\d+) van (.*);/.exec(row['reden']!)!;
      expect(flagged.has(`${file}:${line}`)).toBe(false);
      expect(row['id']).toMatch(/^steekproef-\d+$/);
      expect(row['bsn']).toMatch(/^(\*{5}\d{4})?$/);
      expect([row['toelichting'], row['oordeel']]).toEqual(['', '']);
    }
    expect(readSummary(out).settings.sample).toEqual({ size: 12, seed: 2026 });
  });

  it('is the same for the same seed whatever the workers and chunk size, and differs for another seed', () => {
    const base = runSample(['--sample', '30', '--seed', '5']).text;
    expect(runSample(['--sample', '30', '--seed', '5', '--workers', '0']).text).toBe(base);
    expect(runSample(['--sample', '30', '--seed', '5', '--workers', '2', '--chunk-size', '64KiB']).text).toBe(base);
    expect(runSample(['--sample', '30', '--seed', '6']).text).not.toBe(base);
  }, 60_000);

  it('records a random seed when none is given, and needs --sample for --seed', () => {
    const { out } = runSample(['--sample', '3']);
    expect(readSummary(out).settings.sample.seed).toBeTypeOf('number');
    const refused = cli(['analyze', join(DEMO, 'logs'), ...mapping, '--out', join(tempDir(), 'audit'), '--seed', '4']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--seed needs --sample');
  });
});

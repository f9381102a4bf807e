/**
 * A run that makes more findings than it can hold stops with a clear error before the main thread runs out
 * of heap (which Node ends with a fatal error and a native stack trace). Only reference data or settings
 * that do not fit the logs make that many; the error names them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as source from '../../src/engine/analyze.js';
import { findingLimit, type AnalyzeSettings } from '../../src/engine/analyze.js';
import * as sourceSetup from '../../src/engine/setup.js';
import { loadCaseload } from '../../src/reference/loaders.js';
import { ROOT, removeTempDirs, tempDir } from '../e2e/cli-helpers.js';

afterAll(removeTempDirs);

const V5 = join(ROOT, 'fixtures', 'demo', 'logs', '2026-04-b-raadpleegpersoon_v5.log');

/** Workers load the built worker, so a run with workers uses the built engine (`npm test` builds first). */
async function engineFor(workers: number): Promise<{ analyze: typeof source.analyze; prepareAnalysis: typeof source.prepareAnalysis; rules: string }> {
  if (workers === 0) return { ...source, rules: sourceSetup.BUILTIN_RULES };
  const built = (await import(pathToFileURL(join(ROOT, 'dist/src/engine/analyze.js')).href)) as typeof source;
  const setup = (await import(pathToFileURL(join(ROOT, 'dist/src/engine/setup.js')).href)) as typeof sourceSetup;
  return { ...built, rules: setup.BUILTIN_RULES };
}

async function run(cases: string, maxFindings: number | undefined, workers: number) {
  const { analyze, prepareAnalysis, rules } = await engineFor(workers);
  const settings: AnalyzeSettings = {
    inputs: [V5],
    format: 'auto',
    timezone: 'Europe/Amsterdam',
    reference: { cases: loadCaseload(cases) },
    ruleModules: [rules],
    only: ['no-case-link'],
    workers,
    chunkSize: 64 << 10,
    ...(maxFindings === undefined ? {} : { maxFindings }),
  };
  return analyze(await prepareAnalysis(settings), { reject: () => undefined, notice: () => undefined, skip: () => undefined });
}

describe('the finding limit', () => {
  const misfit = join(tempDir(), 'caseload.csv');
  writeFileSync(misfit, 'bsn,case_id,team,worker,start_date,end_date\n111222333,Z-1,inkomen,,2019-01-01,2019-12-31\n');

  for (const workers of [0, 2]) {
    it(`stops a run past it with an error that names the reference data (${workers} workers)`, async () => {
      const error = await run(misfit, 1200, workers).catch((failure: unknown) => failure);
      // An InputError (exit 3), of the engine that ran (source or built).
      expect((error as Error).constructor.name, String((error as Error).message)).toBe('InputError');
      const { message, problems, hint, exitCode } = error as { message: string; problems: string[]; hint: string; exitCode: number };
      expect(exitCode).toBe(3);
      expect(message).toMatch(/^more than 1200 findings after \d+ lookups: more than this run can hold in memory; nothing was written$/);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^rule no-case-link flagged \d+ of \d+ lookups \(\d+%\): check that --cases \(caseload\) belongs to these logs/);
      expect(hint).toMatch(/^fix the reference data named above; .*NODE_OPTIONS=--max-old-space-size=\d+$/);
    });
  }

  it('lets the same run through with room for its findings', async () => {
    const result = await run(misfit, 100_000, 0);
    expect(result.findings.length).toBeGreaterThan(50);
    expect(result.warnings).toHaveLength(1);
  });

  it('grows with the heap: about two million findings for 4 GB', () => {
    expect(findingLimit(4096 * 2 ** 20)).toBeGreaterThan(1_500_000);
    expect(findingLimit(4096 * 2 ** 20)).toBeLessThan(3_000_000);
    expect(Math.abs(findingLimit(8192 * 2 ** 20) - 2 * findingLimit(4096 * 2 ** 20))).toBeLessThanOrEqual(1);
  });
});

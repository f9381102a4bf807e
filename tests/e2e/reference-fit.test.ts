/**
 * A caseload that does not belong to the logs (last year's, another municipality's) makes nearly every
 * lookup a finding. The run still finishes, and says so where each reader looks: on stderr (also with
 * --quiet, for the scheduled job's log), in summary.json and at the top of report.html.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, analyzeMonth, cli, readSummary, removeTempDirs, tempDir } from './cli-helpers.js';

const DEMO = join(ROOT, 'fixtures', 'demo');
const ref = (name: string) => join(DEMO, 'ref', name);

afterAll(removeTempDirs);

describe('a caseload that does not fit the logs', () => {
  it('is named in a warning on stderr with --quiet, in summary.json and in report.html', () => {
    const dir = tempDir();
    const cases = join(dir, 'caseload.csv');
    writeFileSync(cases, 'bsn,case_id,team,worker,start_date,end_date\n111222333,Z-1,inkomen,,2019-01-01,2019-12-31\n');
    const out = join(dir, 'audit');
    const result = cli([
      'analyze', join(DEMO, 'logs'), '--mapping', join(DEMO, 'inlezen.mapping.json'), '--cases', cases, '--users', ref('users.csv'),
      '--out', out, '--quiet', '--fail-on', 'never',
    ]);
    expect(result.code).toBe(0);
    const warning = /^warning: (rule no-case-link flagged (\d+) of (\d+) lookups \(\d+%\): check that --cases \(caseload\) belongs to these logs \(period, municipality, columns\))$/m.exec(result.stderr);
    expect(warning).not.toBeNull();
    const [, text, flagged, lookups] = warning!;
    expect(Number(flagged)).toBeGreaterThan(Number(lookups) / 2);
    const summary = readSummary(out);
    expect(Number(lookups)).toBe(summary.totals.lookups);
    expect(summary.warnings).toEqual([text]);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(`<p class="warning">Let op: ${text}</p>`);
  });

  it('is not warned about when the caseload fits', () => {
    const out = join(tempDir(), 'audit');
    const result = analyzeMonth(DEMO, out, ['--mapping', join(DEMO, 'inlezen.mapping.json'), '--quiet', '--fail-on', 'never']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('warning: rule');
    expect(readSummary(out).warnings).toEqual([]);
  });
});

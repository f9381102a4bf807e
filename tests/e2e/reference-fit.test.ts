/**
 * A caseload that does not belong to the logs (last year's, another municipality's) makes nearly every
 * lookup a finding. The run still finishes, and says so where each reader looks: on stderr (also with
 * --quiet, for the scheduled job's log), in summary.json and at the top of report.html. It stays out of the
 * register unless it is added by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, analyzeMonth, cli, readSummary, removeTempDirs, tempDir } from './cli-helpers.js';

const DEMO = join(ROOT, 'fixtures', 'demo');
const ref = (name: string) => join(DEMO, 'ref', name);

afterAll(removeTempDirs);

/** The demo month against a caseload of one case in 2019. */
function analyzeWithMisfit(extra: string[] = []): { out: string; result: ReturnType<typeof cli> } {
  const dir = tempDir();
  const cases = join(dir, 'caseload.csv');
  writeFileSync(cases, 'bsn,case_id,team,worker,start_date,end_date\n111222333,Z-1,inkomen,,2019-01-01,2019-12-31\n');
  const out = join(dir, 'audit');
  const result = cli([
    'analyze', join(DEMO, 'logs'), '--mapping', join(DEMO, 'inlezen.mapping.json'), '--cases', cases, '--users', ref('users.csv'),
    '--out', out, '--quiet', '--fail-on', 'never', ...extra,
  ]);
  return { out, result };
}

const runsIn = (register: string) => {
  const db = new Database(register, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM runs').pluck().get();
  } finally {
    db.close();
  }
};

describe('a caseload that does not fit the logs', () => {
  it('is named in a warning on stderr with --quiet, in summary.json and in report.html', () => {
    const { out, result } = analyzeWithMisfit();
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

  it('a user register that knows none of the logins is warned about too (inactive-account has only a window)', () => {
    const dir = tempDir();
    const users = join(dir, 'users.csv');
    writeFileSync(users, 'login,name,team\n9999_gsd_niemand,Niemand,inkomen\n');
    const out = join(dir, 'audit');
    const result = cli([
      'analyze', join(DEMO, 'logs'), '--mapping', join(DEMO, 'inlezen.mapping.json'), '--users', users, '--rules', 'inactive-account',
      '--out', out, '--quiet', '--fail-on', 'never',
    ]);
    expect(result.code).toBe(0);
    const lookups = readSummary(out).totals.lookups;
    expect(result.stderr).toContain(
      `warning: rule inactive-account flagged ${lookups} of ${lookups} lookups (100%): check that --users (user register) belongs to these logs`,
    );
  });

  it('keeps the run out of the register, saying how to record it all the same', () => {
    const register = join(tempDir(), 'register.sqlite');
    const { out, result } = analyzeWithMisfit(['--register', register]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `warning: not recorded in the register ${register}, because of the warning above; run again with the right reference data, ` +
        `or record this run as it is with: suwinet-audit register add ${out} --register ${register}\n`,
    );
    expect(runsIn(register)).toBe(0);
    const added = cli(['register', 'add', out, '--register', register]);
    expect(added.code).toBe(0);
    expect(runsIn(register)).toBe(1);
  });

  it('is not warned about when the caseload fits, and the run is recorded', () => {
    const register = join(tempDir(), 'register.sqlite');
    const out = join(tempDir(), 'audit');
    const result = analyzeMonth(DEMO, out, ['--mapping', join(DEMO, 'inlezen.mapping.json'), '--quiet', '--fail-on', 'never', '--register', register]);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('warning:');
    expect(readSummary(out).warnings).toEqual([]);
    expect(runsIn(register)).toBe(1);
  });
});

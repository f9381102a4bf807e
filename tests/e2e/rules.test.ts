/** One end-to-end run of the real CLI per rule, on its fixture in fixtures/rules/<id>/, with exact results. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, cli, readFindings, removeTempDirs, tempDir } from './cli-helpers.js';

const fixture = (...parts: string[]) => join(ROOT, 'fixtures', 'rules', ...parts);

function analyze(rule: string, inputs: string[], extra: string[] = []) {
  const out = join(tempDir(), 'out');
  const result = cli(['analyze', ...inputs, '--rules', rule, '--out', out, '--fail-on', 'never', '--quiet', ...extra]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return readFindings(out);
}

afterAll(removeTempDirs);

describe('each rule on its fixture', () => {
  it('off-hours: evening after the clock change, Saturday, Easter Monday, the DST night', () => {
    const findings = analyze('off-hours', [fixture('off-hours', 'classic.log')]);
    expect(findings.map((finding) => [finding.from, finding.evidence[0]!.line, finding.bsn])).toEqual([
      ['2026-03-07T11:02:08+01:00', 4, '683938861'],
      ['2026-03-29T03:30:00+02:00', 6, null],
      ['2026-03-30T19:05:00+02:00', 2, '111222333'],
      ['2026-04-06T10:14:03+02:00', 5, '768510338'],
    ]);
    expect(findings[3]!.message).toContain('Tweede paasdag');
  });

  it('no-case-link: unknown BSN and lookups just outside the margins', () => {
    const findings = analyze('no-case-link', [fixture('no-case-link', 'v5.log')], ['--cases', fixture('no-case-link', 'caseload.csv')]);
    expect(findings.map((finding) => [finding.bsn, finding.from.slice(0, 10), finding.count, finding.evidence.map((e) => e.line)])).toEqual([
      ['683938861', '2026-03-31', 1, [7]],
      ['768510338', '2026-04-01', 2, [2, 3]],
      ['249566758', '2026-04-01', 1, [5]],
    ]);
  });

  it('no-case-link is skipped with a notice when there is no caseload', () => {
    const out = join(tempDir(), 'out');
    const result = cli(['analyze', fixture('no-case-link', 'v5.log'), '--rules', 'no-case-link', '--out', out]);
    expect(result.stderr).toContain('notice: rule no-case-link skipped: needs --cases (caseload)');
    expect(readFindings(out)).toEqual([]);
  });

  it('whitelist-escape: every escape, Anders high', () => {
    const findings = analyze('whitelist-escape', [fixture('whitelist-escape', 'v5.log')]);
    expect(findings.map((finding) => [finding.user, finding.bsn, finding.severity, finding.count])).toEqual([
      ['0070_gsd_voorbeeld_ky', '111111110', 'high', 2],
      ['0070_gsd_voorbeeld_ky', '768510338', 'low', 1],
      ['0118_wgs_voorbeeld_as', '249566758', 'low', 1],
    ]);
  });

  it('bulk-lookups: one burst of 120 in an Inlezen NDJSON log read through a mapping', () => {
    const findings = analyze('bulk-lookups', [fixture('bulk-lookups', 'inlezen.ndjson')], [
      '--mapping',
      fixture('bulk-lookups', 'mapping.json'),
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      user: '0057_gsd_voorbeeld_mb',
      count: 120,
      from: '2026-04-09T10:00:00+02:00',
      to: '2026-04-09T10:39:40+02:00',
      evidenceTotal: 120,
    });
    expect(findings[0]!.evidence).toHaveLength(100);
  });
});

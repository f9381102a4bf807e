/** One end-to-end run of the real CLI per rule, on its fixture in fixtures/rules/<id>/, with exact results. */
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { ROOT, cli, readFindings, readSummary, removeTempDirs, tempDir } from './cli-helpers.js';

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

  it('rules left out for one reason share one notice', () => {
    const out = join(tempDir(), 'out');
    const result = cli(['analyze', fixture('no-case-link', 'v5.log'), '--rules', 'off-hours,no-case-link,bulk-lookups', '--out', out]);
    const notices = result.stderr.split('\n').filter((line) => line.startsWith('notice: rule'));
    expect(notices).toHaveLength(2);
    expect(notices).toContain('notice: rule no-case-link skipped: needs --cases (caseload)');
    const others = builtinRules.map((rule) => rule.meta.id).filter((id) => !['off-hours', 'no-case-link', 'bulk-lookups'].includes(id));
    expect(notices).toContain(`notice: rules ${others.join(', ')} skipped: not selected with --rules`);
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

  it('self-lookup: own BSN (eight digits in the register), twice on one day; a colleague and a client are not', () => {
    const findings = analyze('self-lookup', [fixture('self-lookup', 'v5.log')], ['--users', fixture('self-lookup', 'users.csv')]);
    expect(findings.map((finding) => [finding.user, finding.bsn, finding.count, finding.evidence.map((e) => e.line)])).toEqual([
      ['0118_wgs_voorbeeld_as', '010000021', 2, [1, 2]],
      ['0057_gsd_voorbeeld_mb', '111222333', 1, [5]],
    ]);
    for (const finding of findings) expect(finding.message).not.toContain(finding.bsn!);
  });

  it('self-lookup, colleague-lookup and watchlist work the same on a register and watchlist holding keyed hashes', () => {
    const dir = tempDir();
    const key = join(dir, 'key.txt');
    writeFileSync(key, 'een-lange-geheime-sleutel-van-de-gemeente\n');
    const hmac = (bsn: string) => createHmac('sha256', 'een-lange-geheime-sleutel-van-de-gemeente').update(bsn).digest('hex');
    const hashed = (file: string) =>
      readFileSync(file, 'utf8').replace(/(^|,)(\d{8,9})(\r?$)/gm, (_, before: string, bsn: string, after: string) => `${before}${hmac(bsn.padStart(9, '0'))}${after}`);
    writeFileSync(join(dir, 'users.csv'), hashed(fixture('self-lookup', 'users.csv')));
    writeFileSync(join(dir, 'colleagues.csv'), hashed(fixture('colleague-lookup', 'users.csv')));
    writeFileSync(join(dir, 'watchlist.csv'), readFileSync(fixture('watchlist', 'watchlist.csv'), 'utf8').replace(/^(\d{9})/gm, (bsn) => hmac(bsn)));
    expect(readFileSync(join(dir, 'users.csv'), 'utf8')).not.toMatch(/,\d{8,9}\r?$/m);
    const same = (rule: string, inputs: string[], plain: string[], withHashes: string[]) =>
      expect(analyze(rule, inputs, [...withHashes, '--hash-key-file', key])).toEqual(analyze(rule, inputs, plain));
    same('self-lookup', [fixture('self-lookup', 'v5.log')], ['--users', fixture('self-lookup', 'users.csv')], ['--users', join(dir, 'users.csv')]);
    same('colleague-lookup', [fixture('colleague-lookup', 'v5.log')], ['--users', fixture('colleague-lookup', 'users.csv')], ['--users', join(dir, 'colleagues.csv')]);
    same('watchlist', [fixture('watchlist', 'classic.log')], ['--watchlist', fixture('watchlist', 'watchlist.csv')], ['--watchlist', join(dir, 'watchlist.csv')]);
    expect(analyze('self-lookup', [fixture('self-lookup', 'v5.log')], ['--users', fixture('self-lookup', 'users.csv')])).toHaveLength(2);
  });

  it("colleague-lookup: names the colleague's login, not their BSN; an own BSN is not a colleague's", () => {
    const findings = analyze('colleague-lookup', [fixture('colleague-lookup', 'v5.log')], [
      '--users',
      fixture('colleague-lookup', 'users.csv'),
    ]);
    expect(findings.map((finding) => [finding.user, finding.bsn, finding.count, finding.evidence.map((e) => e.line)])).toEqual([
      ['0057_gsd_voorbeeld_mb', '249566758', 1, [1]],
      ['0095_gsd_voorbeeld_tm', '010000021', 2, [4, 5]],
    ]);
    expect(findings[0]!.message).toContain('collega 0095_gsd_voorbeeld_tm');
    expect(findings[1]!.message).toContain('collega 0118_wgs_voorbeeld_as');
    for (const finding of findings) expect(finding.message).not.toContain(finding.bsn!.slice(-4));
  });

  it('watchlist: listed BSNs with their label, an eight-digit BSN in the list', () => {
    const findings = analyze('watchlist', [fixture('watchlist', 'classic.log')], ['--watchlist', fixture('watchlist', 'watchlist.csv')]);
    expect(findings.map((finding) => [finding.user, finding.bsn, finding.count, finding.severity])).toEqual([
      ['0057_gsd_voorbeeld_mb', '111222333', 2, 'high'],
      ['0095_gsd_voorbeeld_tm', '010000021', 1, 'high'],
    ]);
    expect(findings[0]!.message).toContain('Bekende Nederlander (tv-presentator)');
    expect(findings[1]!.message).toContain('Wethouder, sociaal domein');
    expect(findings[1]!.message).not.toContain('010000021');
  });

  it('invalid-bsn: 11-check failures (also after the leading zero) and a test person, no reference data', () => {
    const findings = analyze('invalid-bsn', [fixture('invalid-bsn', 'v5.log')]);
    expect(findings.map((finding) => [finding.user, finding.bsn, finding.count, finding.evidence.map((e) => e.line)])).toEqual([
      ['0057_gsd_voorbeeld_mb', '111222334', 2, [1, 2]],
      ['0057_gsd_voorbeeld_mb', '011222333', 1, [5]],
      ['0095_gsd_voorbeeld_tm', '999998523', 1, [6]],
    ]);
    expect(findings[2]!.message).toContain('testpersoon');
  });

  it('role-page-mismatch: roles from the line, else from the register row valid that day; v5 has no page', () => {
    const dir = (name: string) => fixture('role-page-mismatch', name);
    const findings = analyze('role-page-mismatch', [dir('classic.log'), dir('v5.log')], [
      '--authz',
      dir('authz.csv'),
      '--users',
      dir('users.csv'),
    ]);
    expect(findings.map((finding) => [finding.user, finding.bsn, finding.count, finding.evidence.map((e) => e.line)])).toEqual([
      ['0118_wgs_voorbeeld_as', '111222333', 2, [2, 3]],
      ['0118_wgs_voorbeeld_as', null, 1, [6]],
      ['0057_gsd_voorbeeld_mb', '249566758', 1, [7]],
    ]);
    expect(findings[0]!.message).toContain("pagina 'kadaster-zoek'");
    expect(findings[1]!.message).toContain('volgens het gebruikersregister: BASIS_GSD, FR0999001, R1');
  });

  it('inactive-account: one finding per account, kind and month, about no single BSN', () => {
    const findings = analyze('inactive-account', [fixture('inactive-account', 'v5.log')], [
      '--users',
      fixture('inactive-account', 'users.csv'),
    ]);
    expect(findings.map((finding) => [finding.user, finding.bsn, finding.from, finding.count, finding.evidence.map((e) => e.line)])).toEqual([
      ['0070_gsd_voorbeeld_ky', null, '2026-04-14T09:00:00+02:00', 2, [1, 2]],
      ['0118_wgs_voorbeeld_as', null, '2026-04-14T10:00:00+02:00', 1, [4]],
      ['0311_gsd_voorbeeld_pk', null, '2026-04-21T11:00:00+02:00', 2, [6, 7]],
      ['0311_gsd_voorbeeld_pk', null, '2026-05-04T11:00:00+02:00', 1, [8]],
    ]);
    expect(findings[0]!.message).toContain('na het einde van het dienstverband op 2026-04-10');
    expect(findings[1]!.message).toContain('na het einde van het dienstverband op 2025-12-31');
    expect(findings[2]!.message).toContain('staat niet in het gebruikersregister');
  });

  it('non-bsn-search: one user searches by postcode, name and licence plate; a team that always does is not reported', () => {
    const findings = analyze('non-bsn-search', [fixture('non-bsn-search', 'classic.log')], [
      '--users',
      fixture('non-bsn-search', 'users.csv'),
      '--rule-option',
      'non-bsn-search.minCount=5',
    ]);
    expect(findings.map((finding) => [finding.user, finding.bsn, finding.from, finding.count, finding.evidence.map((e) => e.line)])).toEqual([
      ['0042_gsd_voorbeeld_tv', null, '2026-04-08T10:10:00+02:00', 6, [2, 10, 16, 21, 26, 31]],
    ]);
    expect(findings[0]!.message).toContain("op Huisnummer, Postcode, Kenteken, Geboortedatum, Geslachtsnaam; de mediaan van de collega's in team inkomen (3) is 0");
  });

  it('popular-bsn: eleven users in three days is one burst about the citizen; nine users is not', () => {
    const findings = analyze('popular-bsn', [fixture('popular-bsn', 'v5.log')]);
    expect(findings.map((finding) => [finding.user, finding.bsn, finding.from, finding.to, finding.count, finding.evidence.map((e) => e.line)])).toEqual([
      ['*', '111222333', '2026-04-14T09:12:00+02:00', '2026-04-16T11:12:00+02:00', 12, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]],
    ]);
    expect(findings[0]!.message).toContain('door 11 verschillende medewerkers geraadpleegd (12 raadplegingen');
    expect(findings[0]!.message).not.toContain('111222333');
  });

  it('volume-outlier: one user far above the team, a busy team alike, a register colleague without lookups is no peer', () => {
    const findings = analyze('volume-outlier', [fixture('volume-outlier', 'v5.log')], [
      '--users',
      fixture('volume-outlier', 'users.csv'),
      '--rule-option',
      'volume-outlier.minLookups=20',
    ]);
    expect(findings.map((finding) => [finding.user, finding.bsn, finding.from, finding.count, finding.evidenceTotal])).toEqual([
      ['0057_gsd_voorbeeld_mb', null, '2026-04-01T09:00:00+02:00', 40, 40],
    ]);
    expect(findings[0]!.message).toContain("40 raadplegingen; de mediaan van de collega's in team inkomen (3) is 10");
  });

  it('concurrent-sessions: two sessions in turn are one episode; a new session after the old one is not; v5 has no session', () => {
    const findings = analyze('concurrent-sessions', [fixture('concurrent-sessions', 'classic.log'), fixture('concurrent-sessions', 'v5.log')]);
    expect(findings.map((finding) => [finding.user, finding.bsn, finding.from, finding.to, finding.count, finding.evidence.map((e) => e.line)])).toEqual([
      ['0197_gsd_voorbeeld_oc', null, '2026-04-09T14:02:00+02:00', '2026-04-09T14:06:00+02:00', 4, [1, 3, 2, 4]],
    ]);
    expect(findings[0]!.message).toContain('actief in 2 sessies tegelijk');
  });

  it('other-team-case: runs only with --enable; clients of another team only, once per user, BSN and day', () => {
    const dir = (name: string) => fixture('other-team-case', name);
    const inputs = [dir('v5.log'), '--users', dir('users.csv'), '--cases', dir('caseload.csv')];
    const run = (extra: string[]) => {
      const out = join(tempDir(), 'out');
      const result = cli(['analyze', ...inputs, '--out', out, '--fail-on', 'never', '--quiet', ...extra]);
      expect(result.code).toBe(0);
      return { findings: readFindings(out).filter((finding) => finding.rule === 'other-team-case'), summary: readSummary(out) };
    };
    const skipped = run([]);
    expect(skipped.findings).toEqual([]);
    expect(skipped.summary.rules.find((rule: { id: string }) => rule.id === 'other-team-case')).toMatchObject({
      status: 'skipped',
      reason: 'opt-in: enable with --enable other-team-case',
    });
    const { findings } = run(['--enable', 'other-team-case']);
    expect(findings.map((finding) => [finding.user, finding.bsn, finding.from, finding.count, finding.severity, finding.evidence.map((e) => e.line)])).toEqual([
      ['0187_wgs_voorbeeld_eg', '111222333', '2026-04-08T10:41:00+02:00', 2, 'low', [1, 2]],
      ['0057_gsd_voorbeeld_mb', '111111110', '2026-04-09T09:30:00+02:00', 1, 'low', [5]],
      ['0187_wgs_voorbeeld_eg', '111222333', '2026-04-09T14:00:00+02:00', 1, 'low', [8]],
    ]);
    expect(findings[0]!.message).toContain('(team schuldhulp) raadpleegde BSN *****2333 op 2026-04-08 om 10:41; deze persoon heeft alleen een zaak bij team inkomen');
  });
});

describe('periods', () => {
  it('inactive-account counts per calendar month, or over the whole run with --period run', () => {
    const dir = tempDir();
    const log = readFileSync(fixture('inactive-account', 'v5.log'), 'utf8');
    // The same lines once more, a month later: two periods by default, one with --period run.
    writeFileSync(join(dir, 'a.log'), log);
    writeFileSync(join(dir, 'b.log'), log.replaceAll(/,2026-04-(\d\d),/g, ',2026-05-$1,'));
    const users = ['--users', fixture('inactive-account', 'users.csv')];
    const monthly = analyze('inactive-account', [dir], users);
    const run = analyze('inactive-account', [dir], [...users, '--period', 'run']);
    const total = (findings: typeof monthly) => findings.reduce((sum, finding) => sum + finding.count, 0);
    expect(monthly.length).toBeGreaterThan(run.length);
    expect(total(run)).toBe(total(monthly));
    for (const finding of run) expect(finding.message).toContain('de geanalyseerde periode');
    expect(monthly.some((finding) => finding.message.includes('mei 2026'))).toBe(true);
  });
});

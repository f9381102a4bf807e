/** The config file: validated with key paths, laid under the command line, paths relative to the file. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, cli, readFindings, readSummary, removeTempDirs, tempDir } from './cli-helpers.js';

afterAll(removeTempDirs);

const LOG = join(ROOT, 'fixtures/rules/off-hours/classic.log');

function configIn(dir: string, config: unknown): string {
  const path = join(dir, 'suwinet-audit.config.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}

describe('config file', () => {
  it('init writes a starter with every default that analyze accepts, and does not overwrite without --force', () => {
    const dir = tempDir();
    const file = join(dir, 'start.json');
    expect(cli(['init', file]).code).toBe(0);
    const starter = JSON.parse(readFileSync(file, 'utf8'));
    expect(starter.rules['off-hours']).toEqual({ enabled: true, severity: 'low', options: { dayStart: '06:00', dayEnd: '19:00', workingDays: [1, 2, 3, 4, 5], holidays: true } });
    expect(starter.rules['other-team-case'].enabled).toBe(false);
    expect(cli(['init', file]).code).toBe(2);
    expect(cli(['init', file, '--force']).code).toBe(0);
    const plain = join(dir, 'plain');
    const configured = join(dir, 'configured');
    cli(['analyze', LOG, '--out', plain, '-q']);
    expect(cli(['analyze', LOG, '--config', file, '--out', configured, '-q']).code).toBe(0);
    expect(readFileSync(join(configured, 'findings.jsonl'), 'utf8')).toBe(readFileSync(join(plain, 'findings.jsonl'), 'utf8'));
  });

  it('refuses unknown keys and wrong values with exit 2, naming the key path and what is allowed', () => {
    const dir = tempDir();
    const config = configIn(dir, { bogus: 1, workers: 'many', rules: { 'off-hours': { severity: 'huge', colour: 'red' } } });
    const result = cli(['analyze', LOG, '--config', config, '--out', join(dir, 'out')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('config.bogus: unknown key');
    expect(result.stderr).toContain('config.workers: must be integer');
    expect(result.stderr).toContain('config.rules.off-hours.severity: must be one of "info", "low", "medium", "high", "critical"');
    expect(result.stderr).toContain('config.rules.off-hours.colour: unknown key');
    const unknownRule = configIn(tempDir(), { rules: { 'no-such-rule': { enabled: false } } });
    expect(cli(['analyze', LOG, '--config', unknownRule, '--out', join(dir, 'out2')]).stderr).toContain("unknown rule 'no-such-rule'");
  });

  it('lays the file under the command line: rule options, severities, switched-off rules, fail-on, relative paths', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'ref'));
    writeFileSync(join(dir, 'ref', 'users.csv'), 'login,name,team\n0057_gsd_voorbeeld_mb,Mira Bakker,inkomen\n');
    const config = configIn(dir, {
      users: 'ref/users.csv',
      failOn: 'low',
      rules: { 'off-hours': { severity: 'medium', options: { dayEnd: '18:00' } }, 'bulk-lookups': { enabled: false } },
    });
    const out = join(dir, 'out');
    expect(cli(['analyze', LOG, '--config', config, '--out', out, '-q']).code).toBe(1);
    const findings = readFindings(out).filter((finding) => finding.rule === 'off-hours');
    expect(findings.map((finding) => [finding.from.slice(11, 16), finding.severity])).toContainEqual(['18:40', 'medium']);
    const summary = readSummary(out);
    expect(summary.rules.find((rule: { id: string }) => rule.id === 'bulk-lookups')).toEqual({ id: 'bulk-lookups', status: 'skipped', reason: 'switched off in the config' });
    expect(summary.reference[0].file).toBe(join(dir, 'ref', 'users.csv'));

    const overridden = join(dir, 'overridden');
    const result = cli(['analyze', LOG, '--config', config, '--out', overridden, '-q', '--fail-on', 'never', '--rule-option', 'off-hours.dayEnd=19:00']);
    expect(result.code).toBe(0);
    expect(readFindings(overridden).some((finding) => finding.from.slice(11, 16) === '18:40')).toBe(false);
  });

  it('config --print shows the defaults with the file laid over them', () => {
    const config = configIn(tempDir(), { timezone: 'UTC', rules: { 'off-hours': { options: { dayEnd: '18:00' } } } });
    const printed = JSON.parse(cli(['config', '--print', '--config', config]).stdout);
    expect(printed.timezone).toBe('UTC');
    expect(printed.failOn).toBe('high');
    expect(printed.rules['off-hours'].options).toEqual({ dayStart: '06:00', dayEnd: '18:00', workingDays: [1, 2, 3, 4, 5], holidays: true });
    expect(printed.rules['no-case-link'].options).toEqual({ graceBeforeDays: 30, graceAfterDays: 90 });
  });
});

describe('suppressions', () => {
  /** The off-hours fixture: findings of 0095_gsd_voorbeeld_tm (Saturday 7 March, Easter Monday) and 0057_gsd_voorbeeld_mb. */
  function runWith(suppressions: unknown[], log = LOG) {
    const dir = tempDir();
    writeFileSync(join(dir, 'users.csv'), 'login,name,team\n0095_gsd_voorbeeld_tm,Thijs de Vries,handhaving\n0057_gsd_voorbeeld_mb,Mira Bakker,inkomen\n');
    const config = configIn(dir, { users: 'users.csv', suppressions });
    const out = join(dir, 'out');
    const result = cli(['analyze', log, '--config', config, '--rules', 'off-hours', '--out', out, '--fail-on', 'low']);
    const suppressed = readFileSync(join(out, 'suppressed.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { finding: { user: string; from: string; page: string | null }; suppression: { reason: string } });
    return { result, out, suppressed, findings: readFindings(out) };
  }

  it('moves matching findings out of findings, worklists and report into suppressed.jsonl, with the suppression', () => {
    const plain = runWith([]);
    expect(plain.findings).toHaveLength(4);
    const { result, out, suppressed, findings } = runWith([
      { team: 'handhaving', reason: 'avonddienst handhaving, besluit 2026-01', until: '2099-12-31' },
      { user: '0057_gsd_voorbeeld_mb', from: '2026-03-29', to: '2026-03-29', reason: 'storingsdienst', until: '2099-12-31' },
    ]);
    expect(suppressed.map((entry) => [entry.finding.user, entry.finding.from.slice(0, 10), entry.suppression.reason])).toEqual([
      ['0095_gsd_voorbeeld_tm', '2026-03-07', 'avonddienst handhaving, besluit 2026-01'],
      ['0057_gsd_voorbeeld_mb', '2026-03-29', 'storingsdienst'],
      ['0095_gsd_voorbeeld_tm', '2026-04-06', 'avonddienst handhaving, besluit 2026-01'],
    ]);
    expect(findings.map((finding) => [finding.user, finding.from.slice(0, 10)])).toEqual([['0057_gsd_voorbeeld_mb', '2026-03-30']]);
    expect(readFileSync(join(out, 'worklists', 'inkomen.csv'), 'utf8')).toContain('2026-03-30');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).not.toContain('0095_gsd_voorbeeld_tm raadpleegde');
    expect(readSummary(out).settings.suppressions).toEqual({ applied: 3, expired: [] });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('found 1 finding(s) (low 1), 3 suppressed');
  });

  it('matches a page only when every lookup of the finding was on that page', () => {
    const byPage = runWith([{ page: 'uwv-polis', reason: 'polissen in het weekend, besluit 2026-02', until: '2099-12-31' }]);
    expect(byPage.suppressed.map((entry) => [entry.finding.user, entry.finding.from.slice(0, 10), entry.finding.page])).toEqual([
      ['0095_gsd_voorbeeld_tm', '2026-03-07', 'uwv-polis'],
      ['0095_gsd_voorbeeld_tm', '2026-04-06', 'uwv-polis'],
    ]);
    expect(byPage.findings.map((finding) => [finding.from.slice(0, 10), finding.page])).toEqual([
      ['2026-03-29', 'rdw-zoek'],
      ['2026-03-30', 'gba-zoek'],
    ]);
    // A second evening lookup of the same citizen on uwv-polis: the day's finding covers two pages.
    const dir = tempDir();
    const log = join(dir, 'two-pages.log');
    const lines = readFileSync(LOG, 'utf8').split('\n');
    writeFileSync(log, [...lines, lines[1]!.replaceAll('19:05:00', '19:10:00').replaceAll('19:05', '19:10').replaceAll('gba-zoek', 'uwv-polis')].join('\n'));
    const mixed = runWith(
      [
        { page: 'gba-zoek', reason: 'gba mag', until: '2099-12-31' },
        { page: 'uwv-polis', reason: 'polis mag', until: '2099-12-31' },
      ],
      log,
    );
    const evening = mixed.findings.find((finding) => finding.from.startsWith('2026-03-30T19:05'));
    expect(evening).toMatchObject({ user: '0057_gsd_voorbeeld_mb', page: null, count: 2 });
    expect(mixed.suppressed.map((entry) => [entry.finding.user, entry.suppression.reason])).toEqual([
      ['0095_gsd_voorbeeld_tm', 'polis mag'],
      ['0095_gsd_voorbeeld_tm', 'polis mag'],
    ]);
  });

  it('stops applying an expired suppression and warns about it; requires a reason and a date', () => {
    const { result, suppressed, findings, out } = runWith([{ rule: 'off-hours', reason: 'oud besluit', until: '2020-01-01' }]);
    expect(suppressed).toEqual([]);
    expect(findings).toHaveLength(4);
    expect(result.stderr).toContain("warning: suppression 'oud besluit' expired on 2020-01-01 and no longer applies");
    expect(readSummary(out).settings.suppressions.expired).toEqual([{ rule: 'off-hours', reason: 'oud besluit', until: '2020-01-01' }]);
    const dir = tempDir();
    const config = configIn(dir, { suppressions: [{ rule: 'off-hours' }] });
    const refused = cli(['analyze', LOG, '--config', config, '--out', join(dir, 'out')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("must have required property 'reason'");
  });
});

describe('plugins from the config and the command line', () => {
  it('lets a --plugin replace the config file\'s plugin list, in rules as in analyze', () => {
    const dir = tempDir();
    const example = join(ROOT, 'fixtures', 'plugins', 'rdw-lookups.js');
    const other = join(dir, 'other.mjs');
    writeFileSync(
      other,
      `export default { meta: { id: 'other-plugin', title: 'o', severity: 'low', basis: { kind: 'heuristic', reference: 'test' }, description: 'd',
        options: { schema: { type: 'object', additionalProperties: false }, defaults: {} }, messages: { x: 'x' } }, create() { return {}; } };\n`,
    );
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ plugin: [example] }));
    const ids = (args: string[]) => (JSON.parse(cli(['rules', '--json', ...args]).stdout) as Array<{ id: string; origin: string }>).filter((rule) => rule.origin.startsWith('plugin')).map((rule) => rule.id);
    expect(ids(['--config', config])).toEqual(['rdw-lookups']);
    expect(ids(['--config', config, '--plugin', other])).toEqual(['other-plugin']);
    const out = join(dir, 'out');
    const run = cli(['analyze', join(ROOT, 'fixtures', 'rules', 'off-hours', 'classic.log'), '--config', config, '--plugin', other, '--out', out, '--fail-on', 'never', '-q']);
    expect(run.code).toBe(0);
    expect(readSummary(out).settings.plugins).toEqual([other]);
  });
});

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

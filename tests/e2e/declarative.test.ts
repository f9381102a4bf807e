/**
 * Declarative rules from the config, end to end: fixtures/declarative holds a classic log, a register in
 * which 0095_gsd_voorbeeld_tm moves from handhaving to inkomen on 15 April, and a config with one rule
 * without count, one value_count and one event_count.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, cli, outputsOf, readFindings, readSummary, removeTempDirs, tempDir } from './cli-helpers.js';

afterAll(removeTempDirs);

const FIXTURE = join(ROOT, 'fixtures', 'declarative');
const LOG = join(FIXTURE, 'classic.log');
const CONFIG = join(FIXTURE, 'config.json');
const DECLARED = ['rdw-buiten-handhaving', 'veel-bsns-per-dag', 'rdw-in-de-avond'];
const fixtureConfig = JSON.parse(readFileSync(CONFIG, 'utf8')) as { declarativeRules: Array<Record<string, unknown>> };

/** Runs the declared rules only, or (`selected` false) every rule the config leaves on. */
function analyze(config: string, extra: string[] = [], selected = true) {
  const out = join(tempDir(), 'audit');
  const result = cli(['analyze', LOG, '--config', config, ...(selected ? ['--rules', DECLARED.join(',')] : []), '--out', out, '-q', ...extra]);
  return { result, out };
}

const declaredFindings = (out: string) => readFindings(out).filter((finding) => DECLARED.includes(finding.rule));

/** The fixture's config with changes, in a folder of its own (the register by absolute path). */
function configWith(changes: Record<string, unknown>): string {
  const path = join(tempDir(), 'config.json');
  writeFileSync(path, JSON.stringify({ ...fixtureConfig, users: join(FIXTURE, 'users.csv'), ...changes }));
  return path;
}

describe('declarative rules', () => {
  it('finds what each rule declares, like any rule: team at the lookup date, sliding windows, shared pages', () => {
    const { result, out } = analyze(CONFIG);
    expect(result.code).toBe(1);
    const findings = readFindings(out);
    expect(findings.map(({ rule, user, bsn, page, from, to, count, evidence }) => [rule, user, bsn, page, from, to, count, evidence.map((e) => e.line)])).toEqual([
      ['rdw-buiten-handhaving', '0057_gsd_voorbeeld_mb', null, 'rdw-zoek', '2026-04-02T09:00:00+02:00', '2026-04-02T09:05:00+02:00', 2, [1, 2]],
      ['veel-bsns-per-dag', '0057_gsd_voorbeeld_mb', null, 'gba-zoek', '2026-04-08T10:00:00+02:00', '2026-04-09T09:00:00+02:00', 6, [4, 5, 6, 8, 7, 10]],
      ['rdw-in-de-avond', '*', null, 'rdw-kenteken', '2026-04-13T20:00:00+02:00', '2026-04-13T21:40:00+02:00', 5, [13, 14, 15, 16, 17]],
      ['rdw-buiten-handhaving', '0095_gsd_voorbeeld_tm', '111222333', 'rdw-zoek', '2026-04-16T10:00:00+02:00', '2026-04-16T10:00:00+02:00', 1, [18]],
      ['rdw-buiten-handhaving', '0095_gsd_voorbeeld_tm', null, 'rdw-zoek', '2026-04-16T20:00:00+02:00', '2026-04-16T20:10:00+02:00', 2, [19, 20]],
    ]);
    expect(findings.map((finding) => finding.message)).toEqual([
      'RDW-raadpleging buiten handhaving: 0057_gsd_voorbeeld_mb raadpleegde een persoon (zoekvraag zonder BSN) op 2026-04-02 om 09:00 (2 raadpleging(en))',
      "Veel verschillende personen op één dag: 4 verschillende BSN's in 6 raadplegingen (medewerker 0057_gsd_voorbeeld_mb) van 2026-04-08 10:00 tot 2026-04-09 09:00; drempel: minstens 4 binnen 1d",
      'RDW-raadplegingen in de avond per team: 5 raadplegingen (team handhaving) van 2026-04-13 20:00 tot 2026-04-13 21:40; drempel: minstens 3 binnen 1h',
      'RDW-raadpleging buiten handhaving: 0095_gsd_voorbeeld_tm raadpleegde BSN *****2333 op 2026-04-16 om 10:00 (1 raadpleging(en))',
      'RDW-raadpleging buiten handhaving: 0095_gsd_voorbeeld_tm raadpleegde een persoon (zoekvraag zonder BSN) op 2026-04-16 om 20:00 (2 raadpleging(en))',
    ]);
    const summary = readSummary(out);
    expect(summary.findings.byRule['veel-bsns-per-dag']).toMatchObject({ total: 1, high: 1 });
    expect(summary.rules.find((rule: { id: string }) => rule.id === 'rdw-in-de-avond')).toEqual({
      id: 'rdw-in-de-avond',
      title: 'RDW-raadplegingen in de avond per team',
      status: 'run',
      severity: 'low',
      options: { timespan: '1h', gte: 3 },
    });
    // The auditor sees what the rules were, not only their ids.
    expect(summary.settings.declarativeRules).toEqual(fixtureConfig.declarativeRules);
    expect(readFileSync(join(out, 'worklists', 'inkomen.csv'), 'utf8')).toContain('RDW-raadpleging buiten handhaving');
    expect(readFileSync(join(out, 'worklists', 'onbekend.csv'), 'utf8')).toContain('RDW-raadplegingen in de avond per team');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Veel verschillende personen op één dag');
  });

  it('gives byte-identical outputs for any number of workers and chunk size', () => {
    const runs = [
      ['0', '4MiB'],
      ['1', '1KiB'],
      ['2', '1KiB'],
      ['2', '4MiB'],
    ].map(([workers, chunkSize]) => {
      const { result, out } = analyze(CONFIG, ['--workers', workers!, '--chunk-size', chunkSize!]);
      expect(result.code).toBe(1);
      return outputsOf(out);
    });
    expect(runs[0]!['findings.jsonl']!.split('\n')).toHaveLength(6);
    for (const run of runs.slice(1)) expect(run).toEqual(runs[0]);
  }, 60_000);

  it('can be switched off, given another severity or tuned in the config and on the command line', () => {
    const config = configWith({
      rules: {
        'rdw-buiten-handhaving': { enabled: false },
        'rdw-in-de-avond': { severity: 'high', options: { timespan: '30m' } },
      },
    });
    const tuned = analyze(config, ['--rule-option', 'veel-bsns-per-dag.gte=5', '--fail-on', 'never'], false);
    expect(tuned.result.code).toBe(0);
    expect(declaredFindings(tuned.out)).toEqual([]);
    const severe = analyze(config, ['--rule-option', 'rdw-in-de-avond.timespan=1h', '--fail-on', 'never'], false);
    expect(declaredFindings(severe.out).map((finding) => [finding.rule, finding.severity, finding.count])).toEqual([
      ['veel-bsns-per-dag', 'high', 6],
      ['rdw-in-de-avond', 'high', 5],
    ]);
    expect(readSummary(severe.out).rules.find((rule: { id: string }) => rule.id === 'rdw-buiten-handhaving')).toMatchObject({
      status: 'skipped',
      reason: 'switched off in the config',
    });
  });

  it('refuses a bad declarative rule with exit 2, naming the file and the key path, without a stack trace', () => {
    const bad = (rule: Record<string, unknown>) => configWith({ declarativeRules: [fixtureConfig.declarativeRules[0], rule] });
    const cases: Array<[string, string]> = [
      [bad({ id: 'off-hours', title: 't', severity: 'low' }), "config.declarativeRules.1.id: rule id 'off-hours' is already taken by the built-in rules"],
      [bad({ ...fixtureConfig.declarativeRules[0] }), "config.declarativeRules.1.id: rule id 'rdw-buiten-handhaving' is already taken by the declarative rules of config"],
      [bad({ id: 'r', title: 't', severity: 'low', where: { page: { regex: 'rdw-(' } } }), 'config.declarativeRules.1.where.page.regex: not a regular expression'],
      [bad({ id: 'r', title: 't', severity: 'low', where: { colour: 'rood' } }), 'config.declarativeRules.1.where.colour: unknown key (allowed: user,'],
      [bad({ id: 'r', title: 't', severity: 'low', count: { type: 'value_count', timespan: '1d', gte: 3 } }), 'config.declarativeRules.1.count: value_count needs field'],
    ];
    for (const [config, message] of cases) {
      const result = cli(['analyze', LOG, '--config', config, '--out', join(tempDir(), 'out')]);
      expect(result.code, message).toBe(2);
      expect(result.stderr).toContain(`suwinet-audit: config ${config}: ${message}`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    const clash = cli(['rules', '--config', bad({ id: 'rdw-lookups', title: 't', severity: 'low' }), '--plugin', join(ROOT, 'fixtures/plugins/rdw-lookups.js')]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain(`config.declarativeRules.1.id: rule id 'rdw-lookups' is already taken by the plugin ${join(ROOT, 'fixtures/plugins/rdw-lookups.js')}`);
  });
});

describe('rules --config', () => {
  const config = configWith({
    plugin: [join(ROOT, 'fixtures/plugins/rdw-lookups.js')],
    rules: {
      'off-hours': { severity: 'medium', options: { dayEnd: '18:00' } },
      'bulk-lookups': { enabled: false },
      'other-team-case': { enabled: true },
      'veel-bsns-per-dag': { severity: 'critical', options: { gte: 6 } },
    },
  });

  it('lists built-in, plugin and declarative rules with their origin and effective settings', () => {
    const listed = cli(['rules', '--config', config]);
    expect(listed.code).toBe(0);
    const block = (id: string) => listed.stdout.split('\n\n').find((text) => text.startsWith(`${id} (`));
    expect(block('off-hours')).toContain('off-hours (medium, default low)\n');
    expect(block('off-hours')).toContain('  origin:   built-in\n  enabled:  yes\n');
    expect(block('off-hours')).toContain('options:  dayStart="06:00" dayEnd="18:00" (default "19:00") workingDays=[1,2,3,4,5] holidays=true');
    expect(block('bulk-lookups')).toContain('  enabled:  no, switched off in the config\n');
    expect(block('other-team-case')).toContain('  enabled:  yes\n');
    expect(block('rdw-lookups')).toContain(`  origin:   plugin ${join(ROOT, 'fixtures/plugins/rdw-lookups.js')}\n`);
    expect(block('veel-bsns-per-dag')).toBe(
      [
        'veel-bsns-per-dag (critical, default high)',
        "  Veel verschillende personen op één dag: Declarative rule: lookups where page matches /^gba-/; a finding when at least 4 distinct bsn per user within 1d (value_count).",
        `  origin:   config ${config}`,
        '  enabled:  yes',
        '  basis:    heuristic, eigen regel van de gemeente, in de configuratie',
        '  options:  timespan="1d" gte=6 (default 4)',
      ].join('\n'),
    );
    expect(block('rdw-buiten-handhaving')).toContain('  needs:    users\n');
    expect(cli(['rules']).stdout).toContain('other-team-case (low)\n  Raadpleging voor een zaak van een ander team: A BSN with cases in the caseload, but only with other teams than the user\'s team in the register (opt-in).\n  origin:   built-in\n  enabled:  no, opt-in: enable with --enable other-team-case\n');
  });

  it('gives the same as JSON: metadata, origin, enabled and the effective severity and options', () => {
    const json = JSON.parse(cli(['rules', '--config', config, '--json']).stdout) as Array<Record<string, any>>;
    const byId = new Map(json.map((rule) => [rule['id'], rule]));
    expect([...byId.keys()].slice(-4)).toEqual(['rdw-lookups', ...DECLARED]);
    expect(byId.get('off-hours')).toMatchObject({
      severity: 'low',
      origin: 'built-in',
      enabled: true,
      effective: { severity: 'medium', options: { dayStart: '06:00', dayEnd: '18:00', workingDays: [1, 2, 3, 4, 5], holidays: true } },
    });
    expect(byId.get('bulk-lookups')).toMatchObject({ enabled: false, reason: 'switched off in the config' });
    expect(byId.get('veel-bsns-per-dag')).toMatchObject({
      origin: `config ${config}`,
      enabled: true,
      options: { defaults: { timespan: '1d', gte: 4 } },
      effective: { severity: 'critical', options: { timespan: '1d', gte: 6 } },
    });
  });

  it('refuses a config that sets an unknown rule or a wrong option, as analyze does', () => {
    const unknown = cli(['rules', '--config', configWith({ rules: { 'geen-regel': { enabled: false } } })]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown rule 'geen-regel'");
    const wrong = cli(['rules', '--config', configWith({ rules: { 'rdw-in-de-avond': { options: { timespan: 'een uur' } } } })]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('rdw-in-de-avond.timespan: must match pattern');
  });

  it('config --print and init show the declarative rules', () => {
    const printed = JSON.parse(cli(['config', '--print', '--config', CONFIG]).stdout);
    expect(printed.declarativeRules).toEqual(fixtureConfig.declarativeRules);
    expect(printed.rules['veel-bsns-per-dag']).toEqual({ enabled: true, severity: 'high', options: { timespan: '1d', gte: 4 } });
    const starter = join(tempDir(), 'start.json');
    expect(cli(['init', starter]).code).toBe(0);
    expect(JSON.parse(readFileSync(starter, 'utf8')).declarativeRules).toEqual([]);
  });
});

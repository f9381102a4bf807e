import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { ALONE_ON_TWO_CORES, autoWorkers } from '../../src/analyze-command.js';
import { ROOT, cli, readFindings, readRejects, readSummary, removeTempDirs, tempDir } from './cli-helpers.js';

const fixture = (...parts: string[]) => join(ROOT, 'fixtures', 'rules', ...parts);
const offHoursLog = fixture('off-hours', 'classic.log');

afterAll(removeTempDirs);

function outDir(): string {
  return join(tempDir(), 'out');
}

describe('inputs', () => {
  it('reads gzip from stdin the same as the plain file, and names it -', () => {
    const fromFile = outDir();
    const fromStdin = outDir();
    cli(['analyze', offHoursLog, '--out', fromFile, '--quiet']);
    const result = cli(['analyze', '-', '--out', fromStdin, '--quiet'], { input: gzipSync(readFileSync(offHoursLog)) });
    expect(result.code).toBe(0);
    const strip = (out: string) => readFindings(out).map(({ evidence, ...rest }) => ({ ...rest, lines: evidence.map((e) => e.line) }));
    expect(strip(fromStdin)).toEqual(strip(fromFile));
    expect(readFindings(fromStdin)[0]!.evidence[0]!.file).toBe('-');
    expect(readSummary(fromStdin).inputs[0]).toMatchObject({ file: '-', gzip: true, layout: 'classic', lookups: 7 });
  });

  it('reads one file holding both BKWI layouts (a municipality that migrated mid-month)', () => {
    const dir = tempDir();
    const mixed = join(dir, 'mixed.log');
    writeFileSync(
      mixed,
      readFileSync(offHoursLog, 'utf8') + readFileSync(fixture('whitelist-escape', 'v5.log'), 'utf8'),
    );
    const out = outDir();
    cli(['analyze', mixed, '--out', out, '--quiet', '--fail-on', 'never']);
    expect(readSummary(out).inputs[0]).toMatchObject({ layout: 'classic', layouts: { classic: 7, v5: 5 }, lookups: 12, rejects: 0 });
    expect(readFindings(out).filter((finding) => finding.rule === 'whitelist-escape')).toHaveLength(3);
  });

  it('reads header CSV and a JSON array through a mapping, with rejects for unreadable records', () => {
    const dir = tempDir();
    const csv = join(dir, 'inlezen.csv');
    writeFileSync(
      csv,
      '\uFEFFDatum;Tijd;Medewerker;BSN;Scherm\r\n' +
        '30-03-2026;19:05:00;u1;111222333;polis\r\n' +
        '30-03-2026;18:40:00;u1;111222333;polis\r\n' +
        '31-03-2026;25:00:00;u1;111222333;polis\r\n' +
        '31-03-2026;10:00:00;u2\r\n' +
        '04-04-2026;10:00:00;u2;11222333;polis\r\n',
    );
    const csvMapping = join(dir, 'csv-mapping.json');
    writeFileSync(
      csvMapping,
      JSON.stringify({
        format: 'csv',
        fields: { time: ['datum', 'tijd'], user: 'Medewerker', bsn: 'bsn', page: 'scherm' },
        time: { format: 'dd-MM-yyyy HH:mm:ss' },
      }),
    );
    const out = outDir();
    const result = cli(['analyze', csv, '--mapping', csvMapping, '--rules', 'off-hours', '--out', out, '--max-reject-rate', '50%', '-q']);
    expect(result.code).toBe(0);
    expect(readFindings(out).map((finding) => [finding.from, finding.bsn, finding.evidence[0]!.line])).toEqual([
      ['2026-03-30T19:05:00+02:00', '111222333', 2],
      ['2026-04-04T10:00:00+02:00', '011222333', 6],
    ]);
    expect(readRejects(out).map((reject) => [reject.line, reject.reason])).toEqual([
      [4, "time '31-03-2026 25:00:00' does not match format 'dd-MM-yyyy HH:mm:ss'"],
      [5, 'Invalid Record Length: columns length is 5, got 3'],
    ]);
    expect(readSummary(out).inputs[0]).toMatchObject({ layout: 'csv', lines: 6, lookups: 3, rejects: 2, blank: 0 });

    const json = join(dir, 'export.json');
    writeFileSync(
      json,
      JSON.stringify([
        { ts: '2026-03-30T17:05:00Z', login: 'u1', keys: { bsn: '111222333' } },
        { ts: 'gisteren', login: 'u1', keys: { bsn: '111222333' } },
        { ts: '2026-03-30T10:00:00+02:00', login: 'u1', keys: { Postcode: '5346AB' } },
      ]),
    );
    const jsonMapping = join(dir, 'json-mapping.json');
    writeFileSync(jsonMapping, JSON.stringify({ fields: { time: 'ts', user: 'login', searchKeys: 'keys' } }));
    const jsonOut = outDir();
    const jsonResult = cli(['analyze', json, '--mapping', jsonMapping, '--rules', 'off-hours', '--out', jsonOut, '--max-reject-rate', '50%']);
    expect(jsonResult.stderr).toContain('a JSON array is read slowly; export NDJSON');
    expect(readFindings(jsonOut).map((finding) => finding.from)).toEqual(['2026-03-30T19:05:00+02:00']);
    expect(readRejects(jsonOut).map((reject) => reject.line)).toEqual([2]);
    expect(readSummary(jsonOut).inputs[0]).toMatchObject({ layout: 'json', lookups: 2, rejects: 1 });
  });

  it('asks for a mapping when a file needs one', () => {
    const result = cli(['analyze', fixture('bulk-lookups', 'inlezen.ndjson'), '--out', outDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('layout ndjson needs a mapping');
  });

  it('rejects malformed lines with file, line and reason, analyses their neighbours, and exits 3 above the reject rate', () => {
    const dir = tempDir();
    const broken = join(dir, 'broken.log');
    const lines = readFileSync(offHoursLog, 'utf8').split('\n');
    lines.splice(2, 0, lines[1]!.slice(0, 120), 'garbage line');
    writeFileSync(broken, lines.join('\n'));
    const out = outDir();
    const result = cli(['analyze', broken, '--out', out, '--fail-on', 'never']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${broken}:3: rejected: `);
    expect(result.stderr).toContain('of the lines were rejected, above --max-reject-rate 1%');
    expect(readRejects(out)).toEqual([
      { file: broken, line: 3, reason: 'unterminated quoted field 8' },
      { file: broken, line: 4, reason: 'neither an SI Classic nor a v5 record' },
    ]);
    expect(readSummary(out).totals).toMatchObject({ lookups: 7, rejects: 2 });
    expect(cli(['analyze', broken, '--out', outDir(), '--fail-on', 'never', '--max-reject-rate', '30%', '-q']).code).toBe(0);
  });

  it('stops with exit 3 on a missing input and on a file of unknown layout', () => {
    const missing = cli(['analyze', 'no/such/file.log', '--out', outDir()]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe('suwinet-audit: no/such/file.log: no such file or folder\nhint: check the path\n');
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'hello\n');
    const unknown = cli(['analyze', join(dir, 'notes.txt'), '--out', outDir()]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('cannot tell the layout');
    expect(unknown.stderr).not.toContain('    at ');
  });
});

describe('worker threads', () => {
  it('are left out by --workers auto (the default) for a small month, with the same findings', () => {
    const runs = [[], ['--chunk-size', '1KiB'], ['--workers', '2']].map((extra) => {
      const out = outDir();
      expect(cli(['analyze', offHoursLog, '--out', out, '--quiet', ...extra]).code).toBe(0);
      return { workers: readSummary(out).run.workers, findings: readFileSync(join(out, 'findings.jsonl'), 'utf8') };
    });
    // Chunks of 1 KiB make the month several chunks: workers, but on two cores not below 192 MiB.
    const cores = availableParallelism();
    expect(runs.map((run) => run.workers)).toEqual([0, cores <= 2 ? 0 : cores, 2]);
    expect(new Set(runs.map((run) => run.findings)).size).toBe(1);
  });

  it('are counted by autoWorkers: one per core, none up to one chunk, on two cores none up to 192 MiB', () => {
    const MiB = 1 << 20;
    const table: Array<[number | null, number, number, number]> = [
      // bytes of log (null: unknown, as standard input), chunk size, cores → workers
      [0, 8 * MiB, 2, 0],
      [8 * MiB, 8 * MiB, 2, 0],
      [192 * MiB, 8 * MiB, 2, 0],
      [192 * MiB + 1, 8 * MiB, 2, 2],
      [null, 8 * MiB, 2, 2],
      [250 * MiB, 256 * MiB, 2, 0],
      [100 * MiB, 8 * MiB, 1, 0],
      [250 * MiB, 8 * MiB, 1, 1],
      [8 * MiB, 8 * MiB, 4, 0],
      [8 * MiB + 1, 8 * MiB, 4, 4],
      [100 * MiB, 8 * MiB, 4, 4],
      [null, 8 * MiB, 4, 4],
    ];
    for (const [bytes, chunkSize, cores, workers] of table) {
      expect(autoWorkers(bytes, chunkSize, cores), `${bytes} bytes, chunks of ${chunkSize}, ${cores} cores`).toBe(workers);
    }
    expect(ALONE_ON_TWO_CORES).toBe(192 * MiB);
  });
});

describe('exit codes and errors', () => {
  it('exits 1 on findings at or above --fail-on, 0 below', () => {
    expect(cli(['analyze', offHoursLog, '--out', outDir(), '-q']).code).toBe(0);
    expect(cli(['analyze', offHoursLog, '--out', outDir(), '-q', '--fail-on', 'low']).code).toBe(1);
  });

  it('exits 2 on usage errors, with one line and a hint', () => {
    const unknownOption = cli(['analyze', offHoursLog, '--out', outDir(), '--bogus']);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("unknown option '--bogus'");
    const noOut = cli(['analyze', offHoursLog]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("required option '-o, --out <dir>' not specified");
    const unknownRule = cli(['analyze', offHoursLog, '--out', outDir(), '--rules', 'nope']);
    expect(unknownRule.code).toBe(2);
    expect(unknownRule.stderr).toContain("unknown rule 'nope'");
    const badOption = cli(['analyze', offHoursLog, '--out', outDir(), '--rule-option', 'off-hours.dayEnd=25:00']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain('off-hours.dayEnd: must match pattern');
    const unknownKey = cli(['analyze', offHoursLog, '--out', outDir(), '--rule-option', 'off-hours.nightStart=22:00']);
    expect(unknownKey.stderr).toContain('off-hours.nightStart: unknown key');
  });

  it('refuses a folder that is not empty unless --force', () => {
    const out = outDir();
    expect(cli(['analyze', offHoursLog, '--out', out, '-q']).code).toBe(0);
    const again = cli(['analyze', offHoursLog, '--out', out, '-q']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('is not empty');
    expect(cli(['analyze', offHoursLog, '--out', out, '-q', '--force']).code).toBe(0);
  });

  it('stops with exit 2 on bad reference rows, listing file:line: reason, before reading any log', () => {
    const dir = tempDir();
    const cases = join(dir, 'cases.csv');
    writeFileSync(cases, 'bsn;startdatum;einddatum\n111222333;01-03-2026;\n123456789;01-03-2026;\n249566758;2026-02-30;\n');
    const out = outDir();
    const result = cli(['analyze', offHoursLog, '--cases', cases, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`caseload ${cases} has 2 bad row(s)`);
    expect(result.stderr).toContain(`${cases}:3: '*****6789' is not a valid BSN (11-check)`);
    expect(result.stderr).toContain(`${cases}:4: start date '2026-02-30' is not a date`);
    expect(() => statSync(out)).toThrow();
  });

  it('shows a stack trace only with --debug', () => {
    const plain = cli(['analyze', 'missing.log', '--out', outDir()]);
    const debug = cli(['analyze', 'missing.log', '--out', outDir(), '--debug']);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    expect(debug.stderr).toMatch(/InputError: missing.log: no such file or folder\n\s+at /);
  });
});

describe('outputs', () => {
  it('writes private files into a private folder', () => {
    const out = outDir();
    cli(['analyze', offHoursLog, '--out', out, '-q']);
    expect(statSync(out).mode & 0o777).toBe(0o700);
    for (const name of ['findings.jsonl', 'findings.csv', 'rejects.csv', 'summary.json', 'manifest.json']) {
      expect(statSync(join(out, name)).mode & 0o777).toBe(0o600);
    }
  });

  it('relaxes the modes with --umask for a team share, and refuses a umask that locks the owner out', () => {
    const out = outDir();
    expect(cli(['analyze', offHoursLog, '--out', out, '-q', '--umask', '027']).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o750);
    expect(statSync(join(out, 'findings.jsonl')).mode & 0o777).toBe(0o640);
    expect(statSync(join(out, 'worklists')).mode & 0o777).toBe(0o750);
    const refused = cli(['analyze', offHoursLog, '--out', outDir(), '--umask', '700']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--umask '700' is not an octal umask that leaves the owner read and write");
  });

  it('writes findings.csv for Dutch Excel: BOM, semicolons, one row per finding', () => {
    const out = outDir();
    cli(['analyze', offHoursLog, '--out', out, '-q']);
    const csv = readFileSync(join(out, 'findings.csv'), 'utf8');
    expect(csv.startsWith('\uFEFFid;rule;severity;user;bsn;page;from;to;count;message;evidence;evidenceTotal\r\n')).toBe(true);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(1 + readFindings(out).length);
    const comma = outDir();
    cli(['analyze', offHoursLog, '--out', comma, '-q', '--csv-delimiter', ',']);
    expect(readFileSync(join(comma, 'findings.csv'), 'utf8')).toContain('id,rule,severity');
  });

  it('summarises inputs with hashes, rules run and skipped, settings and the exit', () => {
    const out = outDir();
    cli(['analyze', offHoursLog, '--out', out, '-q']);
    const summary = readSummary(out);
    expect(summary.inputs[0]).toMatchObject({
      file: offHoursLog,
      layout: 'classic',
      lines: 7,
      lookups: 7,
      rejects: 0,
      bytes: statSync(offHoursLog).size,
    });
    expect(summary.inputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.period).toEqual({ from: '2026-03-07T11:02:08+01:00', to: '2026-04-06T10:14:03+02:00' });
    expect(summary.rules.find((rule: { id: string }) => rule.id === 'no-case-link')).toEqual({
      id: 'no-case-link',
      status: 'skipped',
      reason: 'needs --cases (caseload)',
    });
    expect(summary.findings.byRule['off-hours']).toMatchObject({ total: 4, low: 4 });
    expect(summary.exit).toEqual({ code: 0, reason: 'no findings at or above --fail-on' });
    expect(summary.settings).toMatchObject({ timezone: 'Europe/Amsterdam', failOn: 'high', maxRejectRate: 0.01 });
  });

  it('prints a short report on stdout, nothing with --quiet', () => {
    const loud = cli(['analyze', offHoursLog, '--out', outDir()]);
    expect(loud.stdout).toMatch(/^read 1 file\(s\): 7 lookups, 0 rejected line\(s\), 2026-03-07 to 2026-04-06\nfound 4 finding\(s\) \(low 4\)\n/);
    const quiet = cli(['analyze', offHoursLog, '--out', outDir(), '--quiet']);
    expect(quiet.stdout + quiet.stderr).toBe('');
  });
});

describe('help and rules', () => {
  it('explains every analyze option', () => {
    const help = cli(['analyze', '--help']);
    expect(help.code).toBe(0);
    for (const option of [
      '--out', '--force', '--format', '--mapping', '--cases', '--users', '--authz', '--watchlist', '--timezone',
      '--holiday', '--workday', '--rules', '--rule-option', '--fail-on', '--max-reject-rate', '--chunk-size',
      '--csv-delimiter', '--quiet', '--workers', '--progress',
    ]) {
      expect(help.stdout).toContain(option);
    }
  });

  it('lists every rule with severity, basis and option defaults', () => {
    const rules = cli(['rules']);
    expect(rules.code).toBe(0);
    expect(rules.stdout).toContain('off-hours (low)');
    expect(rules.stdout).toContain('options:  dayStart="06:00" dayEnd="19:00" workingDays=[1,2,3,4,5] holidays=true');
    const json = JSON.parse(cli(['rules', '--json']).stdout) as Array<{ id: string }>;
    expect(json.map((rule) => rule.id)).toEqual(builtinRules.map((rule) => rule.meta.id));
    expect(rules.stdout).toContain('self-lookup (high)');
    expect(rules.stdout).toContain('options:  (none)');
  });
});

describe('settings are checked before anything is written', () => {
  it('leaves no output folder behind on a usage error or a missing input', () => {
    for (const extra of [['--rules', 'nope'], ['--rule-option', 'off-hours.dayEnd=25:00'], ['--timezone', 'Mars/Olympus'], ['--holiday', '31-31']]) {
      const out = outDir();
      expect(cli(['analyze', offHoursLog, '--out', out, ...extra]).code).toBe(2);
      expect(() => statSync(out)).toThrow();
    }
    const out = outDir();
    expect(cli(['analyze', 'missing.log', '--out', out]).code).toBe(3);
    expect(() => statSync(out)).toThrow();
  });
});

describe('README', () => {
  it('shows the current --help texts', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    // The default worker count is the machine's number of cores.
    const normalise = (text: string) => text.replace(/\(default: "\d+"\)/g, '(default: N)').trim();
    const blocks = [...readme.matchAll(/```text\n([\s\S]*?)```/g)].map((match) => normalise(match[1]!));
    for (const command of [[], ['analyze'], ['rules'], ['register'], ...['add', 'verdicts', 'status', 'report', 'purge'].map((name) => ['register', name])]) {
      expect(blocks).toContain(normalise(cli([...command, '--help']).stdout));
    }
  });
});

describe('calendar, forced layout and config plugins from the command line', () => {
  it('--holiday adds a day off and --workday takes one away', () => {
    const out = outDir();
    cli(['analyze', offHoursLog, '--rules', 'off-hours', '--out', out, '-q', '--holiday', '2026-03-30=Testdag', '--workday', '04-06']);
    const messages = readFindings(out).map((finding) => [finding.from.slice(0, 10), finding.message]);
    expect(messages.filter(([date]) => date === '2026-03-30').every(([, message]) => message!.includes('feestdag Testdag'))).toBe(true);
    expect(messages.filter(([date]) => date === '2026-03-30')).toHaveLength(2);
    expect(messages.some(([date]) => date === '2026-04-06')).toBe(false);
  });

  it('--format reads every file as that layout: lines of another layout are rejected', () => {
    const dir = tempDir();
    const mixed = join(dir, 'mixed.log');
    writeFileSync(mixed, readFileSync(offHoursLog, 'utf8') + readFileSync(fixture('whitelist-escape', 'v5.log'), 'utf8'));
    const out = outDir();
    cli(['analyze', mixed, '--format', 'classic', '--out', out, '-q', '--fail-on', 'never', '--max-reject-rate', '100%']);
    expect(readSummary(out).inputs[0]).toMatchObject({ layout: 'classic', lookups: 7, rejects: 5 });
    expect(readRejects(out)[0]!.reason).toContain('not an SI Classic line');
  });

  it('says why a run found no lookups, and asks about a forced --format whose layout no line has', () => {
    const out = outDir();
    const forced = cli(['analyze', offHoursLog, '--format', 'v5', '--out', out, '-q']);
    expect(forced.code).toBe(3);
    expect(forced.stderr).toContain(
      `suwinet-audit: no lookups in the input: all 7 line(s) were rejected (see ${out}/rejects.csv); is --format v5 right? Without --format, each file's layout is detected\n`,
    );
    const blank = join(tempDir(), 'blank.log');
    writeFileSync(blank, '\n\n');
    const empty = cli(['analyze', blank, '--format', 'v5', '--out', outDir(), '-q']);
    expect(empty.code).toBe(3);
    expect(empty.stderr).toContain('suwinet-audit: no lookups in the input\n');
  });

  it('loads the plugins a config file lists, relative to the file', () => {
    const dir = tempDir();
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ plugin: [relative(dir, join(ROOT, 'fixtures/plugins/rdw-lookups.js'))], users: join(ROOT, 'fixtures/plugins/users.csv') }));
    const out = outDir();
    expect(cli(['analyze', offHoursLog, '--config', config, '--rules', 'rdw-lookups', '--out', out, '-q', '--fail-on', 'never']).code).toBe(0);
    expect(readFindings(out).map((finding) => finding.rule)).toEqual(['rdw-lookups']);
  });
});

/**
 * The follow-up register through the command line, as a controller uses it month after month: analyze with
 * --register, the team leaders' worklists read back, a second month with repeats, a month analysed again,
 * status, the yearly report and the purge (fixtures/register: two small months).
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRegister } from '../../src/register/db.js';
import { ROOT, cli, readFindings, removeTempDirs, tempDir } from './cli-helpers.js';

afterAll(removeTempDirs);

const FIXTURE = join(ROOT, 'fixtures', 'register');
const RULES = 'off-hours,whitelist-escape,self-lookup,inactive-account';

type Row = Record<string, string>;

function readCsv(path: string): Row[] {
  const text = readFileSync(path, 'utf8');
  return parse(text, { bom: true, delimiter: text.includes(';') ? ';' : ',', columns: true }) as Row[];
}

/** Writes rows back as a spreadsheet would: chosen separator, with or without BOM, CRLF, every cell quoted when needed. */
function writeSheet(path: string, rows: Row[], options: { delimiter: string; bom: boolean; encoding?: BufferEncoding }): void {
  const columns = Object.keys(rows[0]!);
  const cell = (value: string) => (/[",;\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const text = [columns, ...rows.map((row) => columns.map((column) => row[column] ?? ''))]
    .map((cells) => cells.map(cell).join(options.delimiter))
    .join('\r\n');
  writeFileSync(path, Buffer.from((options.bom ? '\uFEFF' : '') + text + '\r\n', options.encoding ?? 'utf8'));
}

/** Every table of the register, for before/after comparisons. */
function dump(register: string): Record<string, unknown[]> {
  const db = new Database(register, { readonly: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).pluck().all() as string[];
    return Object.fromEntries(tables.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()]));
  } finally {
    db.close();
  }
}

function query<T>(register: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(register, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

describe('the follow-up register, month after month', () => {
  let dir: string;
  let register: string;
  const analyze = (month: string, out: string, extra: string[] = ['--register', register]) =>
    cli(['analyze', join(FIXTURE, month), '--users', join(FIXTURE, 'users.csv'), '--rules', RULES, '--fail-on', 'never', '--out', out, ...extra]);
  const idOf = (out: string, user: string, rule: string) => readFindings(out).find((finding) => finding.user === user && finding.rule === rule)!.id;

  beforeAll(() => {
    dir = tempDir();
    register = join(dir, 'suwinet-audit-register.sqlite');
  });

  it('records the first month (the default file beside the outputs) and marks every finding new', () => {
    const result = analyze('2026-03', join(dir, '2026-03'), ['--register']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`register ${register}: 2 new, 0 repeat, 0 already judged; run recorded with 2 finding(s) not seen before`);
    expect(statSync(register).mode & 0o777).toBe(0o600);
    const inkomen = readFileSync(join(dir, '2026-03', 'worklists', 'inkomen.csv'), 'utf8');
    expect(inkomen.startsWith('\uFEFFid;tijdstip;medewerker;naam;regel;ernst;bsn;aantal;reden;historie;toelichting;oordeel\r\n')).toBe(true);
    expect(readCsv(join(dir, '2026-03', 'worklists', 'handhaving.csv')).map((row) => row['historie'])).toEqual(['nieuw']);
    expect(JSON.parse(readFileSync(join(dir, '2026-03', 'summary.json'), 'utf8')).settings.register).toBe(register);
    expect(query(register, `SELECT month, lookups FROM run_months`)).toEqual([{ month: '2026-03', lookups: 3 }]);
    expect(query(register, `SELECT team, login, rule, citizen FROM findings ORDER BY team`)).toEqual([
      { team: 'handhaving', login: '0203_gsd_voorbeeld_ef', rule: 'whitelist-escape', citizen: 1 },
      { team: 'inkomen', login: '0201_gsd_voorbeeld_ab', rule: 'off-hours', citizen: 1 },
    ]);
  });

  it('reads filled-in worklists back as Excel saved them, and a second import changes nothing', () => {
    const worklists = join(dir, '2026-03', 'worklists');
    // English Excel: commas, no BOM, the time re-formatted, Windows-1252; and two columns of the team leader's own.
    const inkomen = readCsv(join(worklists, 'inkomen.csv')).map((row) => ({
      ...row,
      tijdstip: '7-3-2026 10:00',
      toelichting: 'Zaterdagdienst, afgesproken met de teamleider (café-overleg)',
      oordeel: 'Gerechtvaardigd',
      beoordelaar: 'P. de Wit',
      datum: '3-4-2026 14:05',
    }));
    writeSheet(join(dir, 'inkomen.csv'), inkomen, { delimiter: ',', bom: false, encoding: 'latin1' });
    // Dutch Excel: semicolons, a BOM, and an explanation over two lines.
    const handhaving = readCsv(join(worklists, 'handhaving.csv')).map((row) => ({ ...row, toelichting: 'Geen reden gegeven.\nGesprek gevoerd.', oordeel: 'niet gerechtvaardigd' }));
    writeSheet(join(dir, 'handhaving.csv'), handhaving, { delimiter: ';', bom: true });

    const first = cli(['register', 'verdicts', join(dir, 'inkomen.csv'), join(dir, 'handhaving.csv'), '--register', register]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('inkomen.csv (team inkomen): 1 verdict(s) recorded, 0 unchanged, 0 without an oordeel');
    expect(first.stdout).toContain('handhaving.csv (team handhaving): 1 verdict(s) recorded');
    const verdicts = query<Row>(register, `SELECT oordeel, toelichting, judged_by, judged_at, source FROM verdicts ORDER BY seq`);
    expect(verdicts).toEqual([
      {
        oordeel: 'gerechtvaardigd',
        toelichting: 'Zaterdagdienst, afgesproken met de teamleider (café-overleg)',
        judged_by: 'P. de Wit',
        judged_at: '2026-04-03T14:05:00+02:00',
        source: 'inkomen.csv:2',
      },
      { oordeel: 'niet gerechtvaardigd', toelichting: 'Geen reden gegeven.\nGesprek gevoerd.', judged_by: null, judged_at: expect.any(String), source: 'handhaving.csv:2' },
    ]);

    const before = dump(register);
    const again = cli(['register', 'verdicts', join(dir, 'inkomen.csv'), join(dir, 'handhaving.csv'), '--register', register]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('inkomen.csv (team inkomen): 0 verdict(s) recorded, 1 unchanged');
    expect(dump(register)).toEqual(before);
  });

  it('refuses a worklist with a bad row as a whole, naming file:line, and leaves the register unchanged', () => {
    const rows = readCsv(join(dir, '2026-03', 'worklists', 'inkomen.csv'));
    const good = { ...rows[0]!, toelichting: 'Eerst\nop twee regels', oordeel: 'niet gerechtvaardigd' };
    const handhavingId = idOf(join(dir, '2026-03'), '0203_gsd_voorbeeld_ef', 'whitelist-escape');
    writeSheet(
      join(dir, 'inkomen (ingevuld).csv'),
      [good, { ...good, id: '1,23457E+15', toelichting: '' }, { ...good, toelichting: '', oordeel: 'misschien' }, { ...good, id: handhavingId, toelichting: '' }],
      { delimiter: ';', bom: true },
    );
    const before = dump(register);
    const result = cli(['register', 'verdicts', join(dir, 'inkomen (ingevuld).csv'), '--register', register]);
    expect(result.code).toBe(2);
    const file = join(dir, 'inkomen (ingevuld).csv');
    expect(result.stderr).toContain(`suwinet-audit: worklist ${file} has 3 bad row(s)`);
    expect(result.stderr).toContain(`${file}:4: finding 1,23457E+15 is not in the register (the spreadsheet turned the id into a number`);
    expect(result.stderr).toContain(`${file}:5: oordeel 'misschien' is not one of gerechtvaardigd, niet gerechtvaardigd, onbekend`);
    expect(result.stderr).toContain(`${file}:6: finding ${handhavingId} is on the worklist of team handhaving, not inkomen`);
    expect(result.stderr).toContain('hint: correct the file and import it again: nothing of it was applied');
    expect(result.stderr).not.toContain('    at ');
    expect(dump(register)).toEqual(before);
  });

  it('keeps the history of a changed verdict: who from the file name or column, when from the file time', () => {
    const rows = readCsv(join(dir, 'inkomen.csv')).map((row) => ({ ...row, oordeel: 'onbekend', toelichting: 'Medewerker is ziek', beoordelaar: '', datum: '' }));
    const file = join(dir, 'inkomen_2026-03.csv');
    writeSheet(file, rows, { delimiter: ',', bom: false });
    const mtime = new Date('2026-04-20T07:30:00Z');
    utimesSync(file, mtime, mtime);
    expect(cli(['register', 'verdicts', file, '--register', register]).stdout).toContain('(team inkomen): 1 verdict(s) recorded');
    const id = idOf(join(dir, '2026-03'), '0201_gsd_voorbeeld_ab', 'off-hours');
    expect(query(register, `SELECT oordeel, judged_by, judged_at, source FROM verdicts WHERE finding_id = ? ORDER BY seq`, id)).toEqual([
      { oordeel: 'gerechtvaardigd', judged_by: 'P. de Wit', judged_at: '2026-04-03T14:05:00+02:00', source: 'inkomen.csv:2' },
      { oordeel: 'onbekend', judged_by: null, judged_at: '2026-04-20T09:30:00+02:00', source: 'inkomen_2026-03.csv:2' },
    ]);
    expect(query(register, `SELECT oordeel FROM current_verdicts WHERE finding_id = ?`, id)).toEqual([{ oordeel: 'onbekend' }]);
    // The older file read again does not turn the verdict back: that verdict is already in the history.
    const before = dump(register);
    cli(['register', 'verdicts', join(dir, 'inkomen.csv'), '--register', register]);
    expect(dump(register)).toEqual(before);
  });

  it('marks repeats in the second month, and repeat offenders lead the dossiers of report.html', () => {
    const out = join(dir, '2026-04');
    const result = analyze('2026-04', out);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2 new, 2 repeat, 0 already judged');
    const marks = readdirSync(join(out, 'worklists'))
      .flatMap((name) => readCsv(join(out, 'worklists', name)))
      .map((row) => `${row['medewerker']} ${row['regel']}: ${row['historie']}`)
      .sort();
    expect(marks).toEqual([
      '0201_gsd_voorbeeld_ab Raadpleging buiten kantoortijd: herhaling',
      '0202_gsd_voorbeeld_cd Raadpleging van het eigen BSN: nieuw',
      '0203_gsd_voorbeeld_ef Raadpleging via de whitelist-escape: herhaling',
      '0299_gsd_voorbeeld_zz Raadpleging door een onbekend of inactief account: nieuw',
    ]);
    const dossierOrder = (html: string) => [...html.matchAll(/<section class="dossier"><h3>([^<]+)/g)].map((match) => match[1]!.split(' ')[0]);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Dossiers per medewerker (herhalingen eerst, dan meeste risico)');
    expect(html).toContain('<td class="history-repeat">herhaling</td>');
    expect(dossierOrder(html)).toEqual(['0201_gsd_voorbeeld_ab', '0203_gsd_voorbeeld_ef', '0202_gsd_voorbeeld_cd', '0299_gsd_voorbeeld_zz']);

    // Without a register the same month gives what it always gave: no history column, risk order.
    const plain = join(dir, '2026-04-plain');
    expect(analyze('2026-04', plain, []).code).toBe(0);
    expect(readFileSync(join(plain, 'findings.jsonl'), 'utf8')).toBe(readFileSync(join(out, 'findings.jsonl'), 'utf8'));
    expect(readFileSync(join(plain, 'worklists', 'inkomen.csv'), 'utf8')).not.toContain('historie');
    const plainHtml = readFileSync(join(plain, 'report.html'), 'utf8');
    expect(plainHtml).not.toContain('history-');
    expect(dossierOrder(plainHtml)).toEqual(['0202_gsd_voorbeeld_cd', '0299_gsd_voorbeeld_zz', '0201_gsd_voorbeeld_ab', '0203_gsd_voorbeeld_ef']);
    expect(JSON.parse(readFileSync(join(plain, 'summary.json'), 'utf8')).settings).not.toHaveProperty('register');
  });

  it('marks findings already judged when a month is analysed again, with the verdict filled in', () => {
    const out = join(dir, '2026-03-again');
    const result = analyze('2026-03', out, ['--register', register, '--lang', 'en']);
    expect(result.stdout).toContain('0 new, 0 repeat, 2 already judged; run recorded with 0 finding(s) not seen before');
    expect(readCsv(join(out, 'worklists', 'inkomen.csv'))).toEqual([
      expect.objectContaining({ historie: 'al beoordeeld', toelichting: 'Medewerker is ziek', oordeel: 'onbekend' }),
    ]);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<td class="history-already-judged">already judged</td>');
    const before = dump(register);
    expect(cli(['register', 'verdicts', join(out, 'worklists', 'inkomen.csv'), '--register', register]).stdout).toContain('0 verdict(s) recorded, 1 unchanged');
    expect(dump(register)).toEqual(before);
  });

  it('register add: records a run once, and refuses a folder that does not match its manifest', () => {
    const again = cli(['register', 'add', join(dir, '2026-03'), '--register', register]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`${join(dir, '2026-03')}: already in ${register}; nothing changed\n`);

    const plain = join(dir, '2026-04-plain');
    const added = cli(['register', 'add', plain]);
    expect(added.code).toBe(0);
    expect(added.stdout).toBe(`${plain}: added to ${register}: 4 finding(s), 0 not seen before\n`);
    expect(query(register, `SELECT count(*) AS runs FROM runs`)).toEqual([{ runs: 4 }]);

    const tampered = join(dir, 'tampered');
    cpSync(join(dir, '2026-03'), tampered, { recursive: true });
    writeFileSync(join(tampered, 'findings.jsonl'), '');
    const before = dump(register);
    const refused = cli(['register', 'add', tampered, join(dir, 'nothing-here'), '--register', register]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`suwinet-audit: ${tampered} does not match its manifest.json: not added\n  findings.jsonl: content differs from the manifest\n`);
    expect(refused.stderr).toContain(`suwinet-audit: ${join(dir, 'nothing-here')}: no readable manifest.json`);
    expect(dump(register)).toEqual(before);
  });

  it('status: overdue open findings, unjustified findings per team and employee, repeat offenders; CSV the same every time', () => {
    const today = cli(['register', 'status', '--register', register]);
    expect(today.code).toBe(0);
    expect(today.stdout).toMatch(/^Open findings without a verdict for more than 30 days on \d{4}-\d{2}-\d{2}: 0 \(of 4 open\)\n/);

    const csv = join(dir, 'status.csv');
    const later = cli(['register', 'status', '--today', '2099-01-01', '--days', '30', '--csv', csv, '--register', register]);
    expect(later.code).toBe(1);
    expect(later.stdout).toContain('Open findings without a verdict for more than 30 days on 2099-01-01: 4 (of 4 open)');
    expect(later.stdout).toMatch(/0202_gsd_voorbeeld_cd\s+Raadpleging van het eigen BSN\s+high/);
    expect(later.stdout).toContain('Findings judged niet gerechtvaardigd, per team and employee: 1');
    expect(later.stdout).toMatch(/handhaving\s+0203_gsd_voorbeeld_ef\s+1/);
    expect(later.stdout).toContain('Repeat offenders (the same rule in more than one month): 2');
    expect(later.stdout).toMatch(/0201_gsd_voorbeeld_ab\s+inkomen\s+Raadpleging buiten kantoortijd\s+2026-03 2026-04\s+2\s+0/);
    expect(later.stdout).not.toMatch(/\b\d{9}\b/);
    expect(statSync(csv).mode & 0o777).toBe(0o600);
    const rows = readCsv(csv);
    expect(rows.map((row) => `${row['onderdeel']} ${row['medewerker']}`)).toEqual([
      'open 0203_gsd_voorbeeld_ef',
      'open 0202_gsd_voorbeeld_cd',
      'open 0201_gsd_voorbeeld_ab',
      'open 0299_gsd_voorbeeld_zz',
      'niet gerechtvaardigd 0203_gsd_voorbeeld_ef',
      'herhaling 0201_gsd_voorbeeld_ab',
      'herhaling 0203_gsd_voorbeeld_ef',
    ]);
    const first = readFileSync(csv);
    cli(['register', 'status', '--today', '2099-01-01', '--csv', csv, '--register', register]);
    expect(readFileSync(csv)).toEqual(first);
  });

  it("the yearly report: each month checked or not, files and hashes, lookups, findings per rule, the follow-up; the same bytes every time", () => {
    // The inactive account is judged unjustified too: without a BSN it is no data-breach candidate.
    const worklist = readCsv(join(dir, '2026-04', 'worklists', 'onbekend.csv')).map((row) => ({ ...row, oordeel: 'niet gerechtvaardigd' }));
    writeSheet(join(dir, 'onbekend.csv'), worklist, { delimiter: ';', bom: true });
    expect(cli(['register', 'verdicts', join(dir, 'onbekend.csv'), '--register', register]).code).toBe(0);

    const report = (out: string) => cli(['register', 'report', '--year', '2026', '--out', out, '--register', register]);
    const [a, b] = [join(dir, 'year-a'), join(dir, 'year-b')];
    expect(report(a).stdout).toBe(`wrote ${join(a, 'register-report-2026.html')} and ${join(a, 'register-report-2026.csv')}\n`);
    report(b);
    for (const name of ['register-report-2026.html', 'register-report-2026.csv']) {
      expect(readFileSync(join(b, name))).toEqual(readFileSync(join(a, name)));
      expect(statSync(join(a, name)).mode & 0o777).toBe(0o600);
    }
    const rows = readCsv(join(a, 'register-report-2026.csv'));
    expect(rows.map((row) => row['maand'])).toEqual([...Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`), '2026']);
    const [march, april] = [rows[2]!, rows[3]!];
    // March was analysed twice: the later run (with the English report) counts.
    expect(march).toMatchObject({
      gecontroleerd: 'ja',
      raadplegingen: '3',
      bevindingen: '2',
      'bevindingen off-hours': '1',
      'bevindingen whitelist-escape': '1',
      'met oordeel': '2',
      'aandeel met oordeel': '100,0%',
      gerechtvaardigd: '0',
      'niet gerechtvaardigd': '1',
      onbekend: '1',
      datalekkandidaten: '1',
    });
    const log = join(FIXTURE, '2026-03', 'raadpleegpersoon_v5.log');
    const sha256 = createHash('sha256').update(readFileSync(log)).digest('hex');
    expect(march['invoerbestanden']).toContain(`log ${log} ${sha256}`);
    expect(march['invoerbestanden']).toContain(`users ${join(FIXTURE, 'users.csv')}`);
    expect(april).toMatchObject({
      gecontroleerd: 'ja',
      raadplegingen: '5',
      bevindingen: '4',
      'bevindingen self-lookup': '1',
      'bevindingen inactive-account': '1',
      'met oordeel': '1',
      'aandeel met oordeel': '25,0%',
      'niet gerechtvaardigd': '1',
      'zonder oordeel': '3',
      datalekkandidaten: '0',
    });
    expect(rows[0]).toMatchObject({ gecontroleerd: 'nee', raadplegingen: '0', bevindingen: '0', 'aandeel met oordeel': '' });
    expect(rows[12]).toMatchObject({ gecontroleerd: '2/12', bevindingen: '6', 'niet gerechtvaardigd': '2', datalekkandidaten: '1', geschoond: '0' });

    const html = readFileSync(join(a, 'register-report-2026.html'), 'utf8');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<script|https?:\/\/|<link /i);
    expect(html).toContain('Jaarverantwoording gebruikscontrole Suwinet 2026');
    expect(html).toContain('<b>2 / 12</b>');
    expect(html).toContain(sha256);
    expect(html).toContain('Er is niet geschoond.');
    expect(html).not.toMatch(/\b\d{9}\b/);
  });

  it('purge erases the personal data of older findings and keeps the counts of the yearly report', () => {
    const year = (out: string) => {
      cli(['register', 'report', '--year', '2026', '--out', out, '--register', register]);
      return readCsv(join(out, 'register-report-2026.csv'));
    };
    const before = year(join(dir, 'before-purge'));
    const result = cli(['register', 'purge', '--before', '2026-04-01', '--register', register]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('purged the personal data of 2 finding(s) before 2026-04-01 (0 without a verdict) and of 3 verdict(s); the counts stay for the yearly report\n');
    const after = year(join(dir, 'after-purge'));
    expect(after.map(({ geschoond: _purged, ...row }) => row)).toEqual(before.map(({ geschoond: _purged, ...row }) => row));
    expect(after[2]!['geschoond']).toBe('2');
    expect(after[3]!['geschoond']).toBe('0');
    const html = readFileSync(join(dir, 'after-purge', 'register-report-2026.html'), 'utf8');
    expect(html).toMatch(/<td>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}<\/td><td>2026-04-01<\/td><td>2<\/td><td>3<\/td>/);

    expect(query(register, `SELECT login, bsn, message, evidence, citizen FROM findings WHERE month = '2026-03'`)).toEqual([
      { login: null, bsn: null, message: null, evidence: null, citizen: 1 },
      { login: null, bsn: null, message: null, evidence: null, citizen: 1 },
    ]);
    expect(query(register, `SELECT DISTINCT toelichting, judged_by FROM verdicts v JOIN findings f ON f.id = v.finding_id WHERE f.month = '2026-03'`)).toEqual([
      { toelichting: null, judged_by: null },
    ]);
    // Nothing of it is left in the file: not in free pages, not in the WAL.
    const bytes = readFileSync(register);
    for (const gone of ['768510338', '111111110', 'Zaterdagdienst', 'Medewerker is ziek']) expect(bytes.includes(gone)).toBe(false);
    expect(bytes.includes('0201_gsd_voorbeeld_ab')).toBe(true);

    // A March run added after the purge keeps no personal data either: its new finding is erased at once.
    const late = join(dir, '2026-03-late');
    analyze('2026-03', late, ['--rule-option', 'off-hours.dayStart=11:00']);
    expect(cli(['register', 'add', late, '--register', register]).stdout).toContain('3 finding(s), 1 not seen before');
    expect(query(register, `SELECT count(*) AS findings, count(login) AS kept FROM findings WHERE month = '2026-03'`)).toEqual([{ findings: 3, kept: 0 }]);
    expect(query(register, `SELECT findings FROM purges`)).toEqual([{ findings: 3 }]);
    // Purged findings no longer make anyone a repeat offender.
    expect(cli(['register', 'status', '--today', '2099-01-01', '--register', register]).stdout).toContain('Repeat offenders (the same rule in more than one month): 0');

    // Someone reading the register mid-transaction keeps old pages in the WAL: purge says so instead of
    // claiming the data is gone, and succeeds once the reader is done.
    const reader = new Database(register, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM findings').get();
    const busy = cli(['register', 'purge', '--before', '2026-04-01', '--register', register]);
    reader.exec('COMMIT');
    reader.close();
    expect(busy.code).toBe(4);
    expect(busy.stderr).toContain('another program has it open, so old copies stay in its WAL file');
    expect(cli(['register', 'purge', '--before', '2026-04-01', '--register', register]).code).toBe(0);
  });

  it("an April log with one line of March does not replace March's run of record", () => {
    const logs = join(dir, 'april-and-a-bit');
    mkdirSync(logs);
    const marchLines = readFileSync(join(FIXTURE, '2026-03', 'raadpleegpersoon_v5.log'), 'utf8').trimEnd().split('\n');
    writeFileSync(join(logs, 'raadpleegpersoon_v5.log'), `${readFileSync(join(FIXTURE, '2026-04', 'raadpleegpersoon_v5.log'), 'utf8')}${marchLines.at(-1)}\n`);
    const year = () => {
      cli(['register', 'report', '--year', '2026', '--out', join(dir, 'spanning'), '--register', register]);
      return readCsv(join(dir, 'spanning', 'register-report-2026.csv'));
    };
    const before = year();
    const run = cli(['analyze', logs, '--users', join(FIXTURE, 'users.csv'), '--rules', RULES, '--fail-on', 'never', '--out', join(dir, 'spanning-run'), '--register', register]);
    expect(run.code).toBe(0);
    expect(query(register, `SELECT month, lookups FROM run_months WHERE run_id = (SELECT id FROM runs ORDER BY finished_at DESC LIMIT 1) ORDER BY month`)).toEqual([
      { month: '2026-03', lookups: 1 },
      { month: '2026-04', lookups: 5 },
    ]);
    const after = year();
    expect(after[2]!['raadplegingen']).toBe(before[2]!['raadplegingen']);
    expect(after[2]!['bevindingen']).toBe(before[2]!['bevindingen']);
    expect(after[3]!['raadplegingen']).toBe('5');
  });
});

describe('the register in the config file', () => {
  it('is a path relative to the config file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'suwinet-audit.config.json'), JSON.stringify({ register: 'follow-up/register.sqlite', users: join(FIXTURE, 'users.csv') }));
    mkdirSync(join(dir, 'follow-up'));
    const out = join(tempDir(), 'audit');
    const result = cli(['analyze', join(FIXTURE, '2026-03'), '--config', join(dir, 'suwinet-audit.config.json'), '--rules', RULES, '--out', out, '--fail-on', 'never']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`register ${join(dir, 'follow-up', 'register.sqlite')}: 2 new`);
  });
});

describe('register errors', () => {
  it('names a missing register, a file that is no register, and bad options in one line with a hint', () => {
    const dir = tempDir();
    const missing = cli(['register', 'status', '--register', join(dir, 'none.sqlite')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `suwinet-audit: no register at ${join(dir, 'none.sqlite')}\nhint: record a run first: suwinet-audit register add DIR, or analyze … --register; or name the file with --register\n`,
    );
    writeFileSync(join(dir, 'notes.txt'), 'not a database at all, just text that is long enough to be a page header '.repeat(20));
    const text = cli(['register', 'status', '--register', join(dir, 'notes.txt')]);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain(`suwinet-audit: register ${join(dir, 'notes.txt')}: file is not a database`);
    expect(cli(['register', 'purge', '--before', '31-31-2026', '--register', join(dir, 'none.sqlite')]).stderr).toContain('--before 31-31-2026 is not a date');
    expect(cli(['register', 'status', '--days', 'many']).stderr).toContain('--days must be a whole number');
    const analyzed = cli(['analyze', join(FIXTURE, '2026-03'), '--out', join(dir, 'out'), '--register', join(dir, 'notes.txt'), '-q']);
    expect(analyzed.code).toBe(2);
    expect(() => statSync(join(dir, 'out'))).toThrow();

    const empty = join(dir, 'empty.sqlite');
    withRegister(empty, { create: true }, () => undefined);
    const future = cli(['register', 'purge', '--before', '2999-01-01', '--register', empty]);
    expect(future.code).toBe(2);
    expect(future.stderr).toContain('suwinet-audit: --before 2999-01-01 is in the future\nhint: purge erases personal data for good');
    const unwritable = cli(['register', 'status', '--csv', join(dir, 'notes.txt', 'status.csv'), '--register', empty]);
    expect(unwritable.code).toBe(4);
    expect(unwritable.stderr).toMatch(new RegExp(`^suwinet-audit: cannot write ${join(dir, 'notes.txt', 'status.csv')}: .+\nhint: choose a folder you can write to, with space left\n$`));
  });
});

/** Worklists for team leaders: one CSV per team, every finding in exactly one, BSNs masked unless asked. */
import { createHmac } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, analyzeMonth, readFindings, removeTempDirs, tempDir, type FindingLine } from './cli-helpers.js';

const DEMO = join(ROOT, 'fixtures', 'demo');
const mapping = ['--mapping', join(DEMO, 'inlezen.mapping.json')];

function readWorklist(path: string): Array<Record<string, string>> {
  return parse(readFileSync(path, 'utf8'), { bom: true, delimiter: ';', columns: true }) as Array<Record<string, string>>;
}

afterAll(removeTempDirs);

describe('worklists', () => {
  let out: string;
  let findings: FindingLine[];
  beforeAll(() => {
    out = join(tempDir(), 'audit');
    analyzeMonth(DEMO, out, mapping);
    findings = readFindings(out);
  });

  it('has one private file per team of the register, and onbekend for employees it does not know', () => {
    const files = readdirSync(join(out, 'worklists')).sort();
    expect(files).toEqual(['burgerzaken.csv', 'handhaving.csv', 'inkomen.csv', 'onbekend.csv', 'schuldhulp.csv']);
    expect(statSync(join(out, 'worklists')).mode & 0o777).toBe(0o700);
    for (const file of files) expect(statSync(join(out, 'worklists', file)).mode & 0o777).toBe(0o600);
    const users = readFileSync(join(DEMO, 'ref', 'users.csv'), 'utf8');
    for (const row of readWorklist(join(out, 'worklists', 'onbekend.csv'))) expect(users).not.toContain(`\n${row['medewerker']},`);
  });

  it('lists every finding exactly once, with masked BSN, Excel time and empty columns for the team leader', () => {
    const rows = readdirSync(join(out, 'worklists')).flatMap((file) => readWorklist(join(out, 'worklists', file)));
    expect(rows.map((row) => row['id']).sort()).toEqual(findings.map((finding) => finding.id).sort());
    const text = readFileSync(join(out, 'worklists', 'inkomen.csv'), 'utf8');
    expect(text.startsWith('\uFEFFid;tijdstip;medewerker;naam;regel;ernst;bsn;aantal;reden;toelichting;oordeel\r\n')).toBe(true);
    for (const row of rows) {
      const finding = findings.find((candidate) => candidate.id === row['id'])!;
      expect(row['bsn']).toBe(finding.bsn === null ? '' : `*****${finding.bsn.slice(-4)}`);
      expect(row['tijdstip']).toBe(finding.from.slice(0, 19).replace('T', ' '));
      expect(row['tijdstip']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect([row['toelichting'], row['oordeel']]).toEqual(['', '']);
      expect(row['reden']).toBe(finding.message);
    }
    expect(text).not.toMatch(/;\d{9};/);
  });

  it('shows full BSNs with --bsn full, keyed hashes with --bsn hashed, and refuses hashed without a key', () => {
    const full = join(tempDir(), 'audit');
    analyzeMonth(DEMO, full, [...mapping, '--bsn', 'full']);
    const fullRows = readWorklist(join(full, 'worklists', 'inkomen.csv'));
    expect(fullRows.some((row) => /^\d{9}$/.test(row['bsn']!))).toBe(true);

    const refused = analyzeMonth(DEMO, join(tempDir(), 'audit'), [...mapping, '--bsn', 'hashed']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--bsn hashed needs --hash-key-file');

    const key = join(tempDir(), 'key.txt');
    writeFileSync(key, 'sleutel-van-de-security-officer');
    const hashed = join(tempDir(), 'audit');
    analyzeMonth(DEMO, hashed, [...mapping, '--bsn', 'hashed', '--hash-key-file', key]);
    const hashedRows = readWorklist(join(hashed, 'worklists', 'inkomen.csv'));
    hashedRows.forEach((row, index) => {
      const bsn = fullRows[index]!['bsn']!;
      expect(row['bsn']).toBe(bsn === '' ? '' : createHmac('sha256', 'sleutel-van-de-security-officer').update(bsn).digest('hex'));
    });
  });
});

/** The register file: created private, in WAL mode, and brought up to the current schema from any earlier one. */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { MIGRATIONS, SCHEMA_VERSION, openRegister, withRegister } from '../../src/register/db.js';

const made: string[] = [];
function newPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'suwinet-audit-register-'));
  made.push(dir);
  return join(dir, 'register.sqlite');
}
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const tables = (db: Database.Database) =>
  db.prepare(`SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name`).pluck().all() as string[];

describe('openRegister', () => {
  it('creates an empty register with every migration, private, in WAL mode with a busy timeout', () => {
    const path = newPath();
    const previous = process.umask(0o022);
    try {
      const db = openRegister(path, { create: true });
      db.prepare('SELECT count(*) FROM runs').get();
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(5000);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(tables(db)).toEqual(['current_verdicts', 'findings', 'purges', 'run_files', 'run_findings', 'run_months', 'run_rules', 'runs', 'verdicts']);
      // The -wal and -shm files exist while the register is open, with the database's mode.
      const files = readdirSync(join(path, '..')).sort();
      expect(files).toEqual(['register.sqlite', 'register.sqlite-shm', 'register.sqlite-wal']);
      for (const file of files) expect(statSync(join(path, '..', file)).mode & 0o777).toBe(0o600);
      db.close();
    } finally {
      process.umask(previous);
    }
  });

  it('brings a version 1 file up to date and keeps its data', () => {
    const path = newPath();
    const v1 = openRegister(path, { create: true, upTo: 1 });
    expect(v1.pragma('user_version', { simple: true })).toBe(1);
    expect(tables(v1)).not.toContain('purges');
    v1.prepare(
      `INSERT INTO runs (id, folder, tool_version, timezone, started_at, finished_at, lookups, rejects, findings)
       VALUES ('run1', '/audit/2026-03', '0.1.0', 'Europe/Amsterdam', '2026-04-02T06:00:00Z', '2026-04-02T06:01:00Z', 10, 0, 2)`,
    ).run();
    const finding = v1.prepare(
      `INSERT INTO findings (id, rule, severity, team, month, from_time, to_time, count, login, bsn, message, evidence, first_run)
       VALUES (?, ?, 'low', 'inkomen', '2026-03', '2026-03-07T10:00:00+01:00', '2026-03-07T10:00:00+01:00', 1, 'u1', ?, 'm', '[]', 'run1')`,
    );
    finding.run('a', 'off-hours', '111222333');
    finding.run('b', 'bulk-lookups', null);
    v1.prepare(`INSERT INTO verdicts (finding_id, oordeel, toelichting, judged_at, source) VALUES ('a', 'gerechtvaardigd', 'dienst', '2026-04-03T10:00:00+02:00', 'inkomen.csv:2')`).run();
    v1.close();

    const db = openRegister(path, { create: false });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare(`SELECT id, login, bsn, citizen, purge_id FROM findings ORDER BY id`).all()).toEqual([
      { id: 'a', login: 'u1', bsn: '111222333', citizen: 1, purge_id: null },
      { id: 'b', login: 'u1', bsn: null, citizen: 0, purge_id: null },
    ]);
    expect(db.prepare(`SELECT finding_id, oordeel, toelichting FROM current_verdicts`).all()).toEqual([{ finding_id: 'a', oordeel: 'gerechtvaardigd', toelichting: 'dienst' }]);
    expect(db.prepare(`SELECT count(*) FROM purges`).pluck().get()).toBe(0);
    db.close();
    // Opening again changes nothing.
    expect(withRegister(path, { create: false }, (again) => again.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION);
  });

  it('refuses a register of a newer version, a database of something else, a file that is no database, and a missing file', () => {
    const newer = newPath();
    withRegister(newer, { create: true }, (db) => db.pragma(`user_version = ${SCHEMA_VERSION + 1}`));
    expect(() => openRegister(newer, { create: false })).toThrow(UsageError);
    expect(() => openRegister(newer, { create: false })).toThrow(
      `register ${newer} has schema version ${SCHEMA_VERSION + 1}; this suwinet-audit knows up to ${SCHEMA_VERSION}`,
    );

    const other = newPath();
    const foreign = new Database(other);
    foreign.exec('CREATE TABLE klanten (bsn TEXT)');
    foreign.close();
    expect(() => openRegister(other, { create: false })).toThrow(`${other} is not a suwinet-audit register`);

    const text = newPath();
    writeFileSync(text, 'id;oordeel\n'.repeat(200));
    expect(() => openRegister(text, { create: true })).toThrow(`register ${text}: file is not a database`);

    const missing = newPath();
    expect(() => openRegister(missing, { create: false })).toThrow(`no register at ${missing}`);
    expect(() => statSync(missing)).toThrow();
  });
});

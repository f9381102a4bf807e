import type Database from 'better-sqlite3';
import { closeSync, existsSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { UsageError } from '../errors.js';

export type Register = Database.Database;

let sqlite: typeof Database | null = null;

/** better-sqlite3, loaded when a register is opened: most runs have none, and loading it took 7 ms of each. */
function openDatabase(path: string, options: Database.Options): Register {
  sqlite ??= createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  return new sqlite(path, options);
}

/**
 * The follow-up register: one SQLite file that remembers every run, its findings and the team leaders'
 * verdicts across months. Its schema grows by migrations, applied in order on open; `PRAGMA user_version`
 * holds the number of the last one applied, so a file made by an older version is brought up to date and a
 * file made by a newer one is refused rather than misread.
 */
export interface Migration {
  version: number;
  /** What the migration brings, for the history of the schema. */
  name: string;
  sql: string;
}

/** `PRAGMA application_id`: marks the file as a suwinet-audit register ("SWRG"). */
const APPLICATION_ID = 0x53575247;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, their files and rules, findings, verdicts',
    sql: `
      -- A finished analyze run, identified by the SHA-256 of its manifest.json.
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        folder TEXT NOT NULL,
        tool_version TEXT NOT NULL,
        timezone TEXT NOT NULL,
        period_from TEXT,
        period_to TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        lookups INTEGER NOT NULL,
        rejects INTEGER NOT NULL,
        findings INTEGER NOT NULL
      ) STRICT;
      -- Input logs (kind 'log') and reference files, with their hashes: what the auditor checks.
      CREATE TABLE run_files (
        run_id TEXT NOT NULL REFERENCES runs(id),
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        file TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        layout TEXT,
        lookups INTEGER,
        PRIMARY KEY (run_id, position)
      ) STRICT;
      -- Lookups per local month of a run (a run may span months).
      CREATE TABLE run_months (
        run_id TEXT NOT NULL REFERENCES runs(id),
        month TEXT NOT NULL,
        lookups INTEGER NOT NULL,
        PRIMARY KEY (run_id, month)
      ) STRICT;
      -- Every rule of a run: run with its options, or skipped and why; findings as summary.json counts them.
      CREATE TABLE run_rules (
        run_id TEXT NOT NULL REFERENCES runs(id),
        rule TEXT NOT NULL,
        title TEXT,
        status TEXT NOT NULL CHECK (status IN ('run', 'skipped')),
        severity TEXT,
        options TEXT,
        reason TEXT,
        findings INTEGER NOT NULL,
        PRIMARY KEY (run_id, rule)
      ) STRICT;
      -- A finding by its stable id, with the team of the first worklist it was on. login, bsn, message and
      -- evidence are personal data.
      CREATE TABLE findings (
        id TEXT PRIMARY KEY,
        rule TEXT NOT NULL,
        severity TEXT NOT NULL,
        team TEXT NOT NULL,
        month TEXT NOT NULL,
        from_time TEXT NOT NULL,
        to_time TEXT NOT NULL,
        count INTEGER NOT NULL,
        login TEXT,
        bsn TEXT,
        message TEXT,
        evidence TEXT,
        first_run TEXT NOT NULL REFERENCES runs(id)
      ) STRICT;
      CREATE INDEX findings_by_login ON findings (login, rule, month);
      CREATE INDEX findings_by_team ON findings (team);
      -- Which runs reported a finding, and on which team's worklist (an employee may change teams).
      CREATE TABLE run_findings (
        run_id TEXT NOT NULL REFERENCES runs(id),
        finding_id TEXT NOT NULL REFERENCES findings(id),
        team TEXT NOT NULL,
        PRIMARY KEY (run_id, finding_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX run_findings_by_finding ON run_findings (finding_id, team);
      -- Verdicts as read from the worklists; a change adds a row, so the history stays.
      CREATE TABLE verdicts (
        seq INTEGER PRIMARY KEY,
        finding_id TEXT NOT NULL REFERENCES findings(id),
        oordeel TEXT NOT NULL CHECK (oordeel IN ('gerechtvaardigd', 'niet gerechtvaardigd', 'onbekend')),
        toelichting TEXT,
        judged_by TEXT,
        judged_at TEXT NOT NULL,
        source TEXT NOT NULL
      ) STRICT;
      CREATE INDEX verdicts_by_finding ON verdicts (finding_id, judged_at);
      -- The verdict that counts: the latest judged, and of those the latest read.
      CREATE VIEW current_verdicts AS
        SELECT v.* FROM verdicts v
        WHERE v.seq = (SELECT w.seq FROM verdicts w WHERE w.finding_id = v.finding_id ORDER BY w.judged_at DESC, w.seq DESC LIMIT 1);
    `,
  },
  {
    version: 2,
    name: 'retention: purges, and what a purged finding keeps',
    sql: `
      -- Each purge: findings that ended before \`before\` lost their personal data on \`purged_at\`.
      CREATE TABLE purges (
        id INTEGER PRIMARY KEY,
        before TEXT NOT NULL,
        purged_at TEXT NOT NULL,
        findings INTEGER NOT NULL,
        verdicts INTEGER NOT NULL
      ) STRICT;
      -- Whether a finding is about an identifiable citizen (it had a BSN): a purge removes the BSN, and the
      -- yearly count of data-breach candidates still needs this.
      ALTER TABLE findings ADD COLUMN citizen INTEGER NOT NULL DEFAULT 0;
      UPDATE findings SET citizen = bsn IS NOT NULL;
      ALTER TABLE findings ADD COLUMN purge_id INTEGER REFERENCES purges(id);
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The default file name: beside the output folders of the months it follows. */
export const REGISTER_FILE = 'suwinet-audit-register.sqlite';

/** How long a writer waits for another (a scheduled run and a person at the terminal) before giving up. */
const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens the register, creating it (mode 0600) when `create` is set, and brings its schema up to date
 * (`upTo` stops earlier: only tests want an old schema). SQLite gives the -wal and -shm files the mode of
 * the database file. WAL lets a reader and a writer work at once; `secure_delete` overwrites what is
 * deleted, so that purged personal data does not linger in free pages.
 */
export function openRegister(path: string, options: { create: boolean; upTo?: number }): Register {
  if (!existsSync(path)) {
    if (!options.create) {
      throw new UsageError(`no register at ${path}`, {
        hint: 'record a run first: suwinet-audit register add DIR, or analyze … --register; or name the file with --register',
      });
    }
    try {
      closeSync(openSync(path, 'wx', 0o600));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`register ${path}: ${(error as Error).message}`);
    }
  }
  let db: Register;
  try {
    db = openDatabase(path, { fileMustExist: true });
  } catch (error) {
    throw new UsageError(`register ${path}: ${(error as Error).message}`);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    migrate(db, path, options.upTo ?? SCHEMA_VERSION);
  } catch (error) {
    db.close();
    if (error instanceof UsageError) throw error;
    throw new UsageError(`register ${path}: ${(error as Error).message}`, { hint: 'is it a suwinet-audit register?', cause: error });
  }
  return db;
}

/** Applies the migrations after the file's version, each in its own transaction with its version number. */
function migrate(db: Register, path: string, upTo: number): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  const application = db.pragma('application_id', { simple: true }) as number;
  const tables = db.prepare(`SELECT count(*) FROM sqlite_schema`).pluck().get() as number;
  if (application !== APPLICATION_ID && (application !== 0 || tables > 0)) {
    throw new UsageError(`${path} is not a suwinet-audit register`, { hint: 'name the register file with --register' });
  }
  if (version > SCHEMA_VERSION) {
    throw new UsageError(`register ${path} has schema version ${version}; this suwinet-audit knows up to ${SCHEMA_VERSION}`, {
      hint: 'use the newer suwinet-audit that wrote it',
    });
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= version || migration.version > upTo) continue;
    db.transaction(() => {
      // Another process may have migrated while this one waited for the write lock.
      if ((db.pragma('user_version', { simple: true }) as number) >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}

/** Opens the register, gives it to `work`, and closes it when the work is done (a promise: when it settles), whatever happens. */
export function withRegister<T>(path: string, options: { create: boolean }, work: (db: Register) => T): T {
  const db = openRegister(path, options);
  let result: T;
  try {
    result = work(db);
  } catch (error) {
    db.close();
    throw error;
  }
  if (result instanceof Promise) return result.finally(() => db.close()) as T;
  db.close();
  return result;
}

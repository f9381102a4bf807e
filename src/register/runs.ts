import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { readManifest, verifyFolder, type Manifest } from '../output/manifest.js';
import { UNKNOWN_TEAM } from '../output/worklists.js';
import type { Finding } from '../rule-api/types.js';
import type { Register } from './db.js';
import { erasePastRetention } from './purge.js';
import { readWorklistFile } from './worklist-file.js';

/** The parts of summary.json the register keeps. */
interface SummaryFacts {
  totals: { lookups: number; rejects: number; findings: number };
  findings: { byRule: Record<string, { total: number }> };
  indicators: { lookupsPerDay: Array<{ date: string; lookups: number }> };
}

/** A rule as the manifest lists it. */
interface ManifestRule {
  id: string;
  title?: string;
  status: 'run' | 'skipped';
  severity?: string;
  options?: unknown;
  reason?: string;
}

/** A finished run, read from its output folder. */
export interface RunFolder {
  /** SHA-256 of manifest.json: the manifest names every output by its hash, so this names the whole run. */
  id: string;
  folder: string;
  manifest: Manifest;
  summary: SummaryFacts;
  /** The findings of findings.jsonl, read line by line as they are iterated (see findingLines). */
  findings: Iterable<Finding>;
  /** Finding id → the worklist it is on (the file name without `.csv`): the team that judges it. */
  teams: Map<string, string>;
}

const WORKLISTS = 'worklists';

/** Reads what the register keeps of an output folder: manifest, summary, findings and worklists. */
export function readRunFolder(dir: string): RunFolder {
  const { manifest, bytes } = readManifest(dir);
  const read = (name: string) => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch (error) {
      throw new InputError(`${dir}: cannot read ${name} (${(error as Error).message})`);
    }
  };
  const summary = JSON.parse(read('summary.json')) as SummaryFacts;
  const findingsFile = join(dir, 'findings.jsonl');
  const findings = { [Symbol.iterator]: () => findingLines(findingsFile, dir) };
  const teams = new Map<string, string>();
  const worklists = join(dir, WORKLISTS);
  if (existsSync(worklists)) {
    for (const name of readdirSync(worklists).filter((file) => file.endsWith('.csv')).sort()) {
      for (const row of readWorklistFile(join(worklists, name)).rows) teams.set(row.cells.get('id') ?? '', basename(name, '.csv'));
    }
  }
  return { id: createHash('sha256').update(bytes).digest('hex'), folder: resolve(dir), manifest, summary, findings, teams };
}

/** How much of findings.jsonl is read at a time. */
const BLOCK = 1 << 20;

/**
 * The findings of a findings.jsonl, line by line. A month whose caseload did not fit the logs wrote 1.2 GB
 * of them: more than one string can hold, and read whole it was the largest part of the run's memory.
 */
function* findingLines(path: string, dir: string): Generator<Finding> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new InputError(`${dir}: cannot read findings.jsonl (${(error as Error).message})`);
  }
  try {
    const block = Buffer.allocUnsafe(BLOCK);
    let rest: Buffer = Buffer.alloc(0);
    for (;;) {
      const read = readSync(fd, block, 0, BLOCK, null);
      // A newline byte never falls inside a UTF-8 character, so lines are cut as bytes and decoded whole.
      const data = read === 0 ? rest : rest.length === 0 ? block.subarray(0, read) : Buffer.concat([rest, block.subarray(0, read)]);
      let start = 0;
      for (let end = data.indexOf(10); end >= 0; end = data.indexOf(10, start)) {
        if (end > start) yield JSON.parse(data.toString('utf8', start, end)) as Finding;
        start = end + 1;
      }
      if (read === 0) {
        if (start < data.length) yield JSON.parse(data.toString('utf8', start)) as Finding;
        return;
      }
      // Copied: the block is read into again.
      rest = Buffer.from(data.subarray(start));
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a run folder after checking it against its manifest: the register only takes a run whose outputs
 * are what the run wrote, so that the yearly accounting rests on verifiable evidence.
 */
export async function readVerifiedRunFolder(dir: string): Promise<RunFolder> {
  const { manifest } = readManifest(dir);
  const verification = await verifyFolder(dir, manifest);
  if (verification.mismatches.length > 0) {
    throw new InputError(`${dir} does not match its manifest.json: not added`, {
      problems: verification.mismatches,
      hint: `see suwinet-audit verify ${dir}; add only an output folder as analyze wrote it`,
    });
  }
  return readRunFolder(dir);
}

/** Local month (`2026-04`) of a finding: its ISO start time carries the local offset. */
export function monthOf(iso: string): string {
  return iso.slice(0, 7);
}

/** The time zone the runs were analysed in (the latest run's); Amsterdam for an empty register. */
export function registerTimezone(db: Register): string {
  return (
    (db.prepare(`SELECT timezone FROM runs ORDER BY finished_at DESC, id DESC LIMIT 1`).pluck().get() as string | undefined) ??
    'Europe/Amsterdam'
  );
}

/**
 * Records a run in one transaction: the run, its files and hashes, lookups per month, its rules, and its
 * findings by stable id (a finding another run already brought is linked, not copied). A run that is
 * already there changes nothing.
 */
export function recordRun(db: Register, run: RunFolder): { added: boolean; findings: number; newFindings: number } {
  return db
    .transaction(() => {
      // findings.jsonl holds the findings summary.json counts (the manifest vouches for both).
      if (db.prepare(`SELECT 1 FROM runs WHERE id = ?`).get(run.id)) return { added: false, findings: run.summary.totals.findings, newFindings: 0 };
      const { manifest, summary } = run;
      const timezone = typeof manifest.settings['timezone'] === 'string' ? manifest.settings['timezone'] : 'Europe/Amsterdam';
      db.prepare(
        `INSERT INTO runs (id, folder, tool_version, timezone, period_from, period_to, started_at, finished_at, lookups, rejects, findings)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        run.id,
        run.folder,
        manifest.tool.version,
        timezone,
        manifest.period?.from ?? null,
        manifest.period?.to ?? null,
        manifest.startedAt,
        manifest.finishedAt,
        summary.totals.lookups,
        summary.totals.rejects,
        summary.totals.findings,
      );
      const file = db.prepare(
        `INSERT INTO run_files (run_id, position, kind, file, bytes, sha256, layout, lookups) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      manifest.inputs.forEach((input, position) =>
        file.run(run.id, position, 'log', input.file, input.bytes, input.sha256, input.layout, input.lookups),
      );
      manifest.reference.forEach((reference, index) =>
        file.run(run.id, manifest.inputs.length + index, reference.kind, reference.file, reference.bytes, reference.sha256, null, null),
      );
      const months = new Map<string, number>();
      for (const day of summary.indicators.lookupsPerDay) months.set(monthOf(day.date), (months.get(monthOf(day.date)) ?? 0) + day.lookups);
      const month = db.prepare(`INSERT INTO run_months (run_id, month, lookups) VALUES (?, ?, ?)`);
      for (const [name, lookups] of months) month.run(run.id, name, lookups);
      const rule = db.prepare(
        `INSERT INTO run_rules (run_id, rule, title, status, severity, options, reason, findings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const entry of manifest.rules as ManifestRule[]) {
        rule.run(
          run.id,
          entry.id,
          entry.title ?? null,
          entry.status,
          entry.severity ?? null,
          entry.options === undefined ? null : JSON.stringify(entry.options),
          entry.reason ?? null,
          summary.findings.byRule[entry.id]?.total ?? 0,
        );
      }
      const finding = db.prepare(
        `INSERT OR IGNORE INTO findings (id, rule, severity, team, month, from_time, to_time, count, login, bsn, message, evidence, first_run, citizen)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const link = db.prepare(`INSERT OR IGNORE INTO run_findings (run_id, finding_id, team) VALUES (?, ?, ?)`);
      let newFindings = 0;
      let findings = 0;
      for (const item of run.findings) {
        findings++;
        const team = run.teams.get(item.id) ?? UNKNOWN_TEAM;
        newFindings += finding.run(
          item.id,
          item.rule,
          item.severity,
          team,
          monthOf(item.from),
          item.from,
          item.to,
          item.count,
          item.user,
          item.bsn,
          item.message,
          JSON.stringify(item.evidence),
          run.id,
          item.bsn === null ? 0 : 1,
        ).changes;
        link.run(run.id, item.id, team);
      }
      // A run older than the retention date keeps no personal data, even when it is added after the purge.
      erasePastRetention(db);
      return { added: true, findings, newFindings };
    })
    .immediate();
}

/** Rule id → title, as the latest run that ran the rule named it (a plugin's rule has no other source). */
export function ruleTitles(db: Register): Map<string, string> {
  const rows = db
    .prepare(
      `SELECT rr.rule, rr.title FROM run_rules rr JOIN runs r ON r.id = rr.run_id
       WHERE rr.title IS NOT NULL ORDER BY r.finished_at, r.id`,
    )
    .all() as Array<{ rule: string; title: string }>;
  return new Map(rows.map((row) => [row.rule, row.title]));
}

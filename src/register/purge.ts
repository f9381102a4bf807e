import { OutputError } from '../errors.js';
import type { Register } from './db.js';

/**
 * Retention (AVG): personal data of a finding is kept no longer than needed. A purge erases the employee,
 * the BSN, the message and the evidence of every finding that ended before a date, and the explanation and
 * judge of its verdicts. What the yearly accounting counts stays: rule, severity, team, month, whether it was
 * about a citizen, and the oordeel.
 */
export interface PurgeResult {
  before: string;
  findings: number;
  /** Of those, findings that had no verdict: their follow-up can no longer be recorded in detail. */
  open: number;
  verdicts: number;
}

/** Erases the personal data of the findings that ended before `before` and are not yet purged. */
function erase(db: Register, before: string, purgeId: number): { findings: number; verdicts: number } {
  const findings = db
    .prepare(
      `UPDATE findings SET login = NULL, bsn = NULL, message = NULL, evidence = NULL, purge_id = ?
       WHERE purge_id IS NULL AND substr(to_time, 1, 10) < ?`,
    )
    .run(purgeId, before).changes;
  const verdicts = db
    .prepare(
      `UPDATE verdicts SET toelichting = NULL, judged_by = NULL
       WHERE (toelichting IS NOT NULL OR judged_by IS NOT NULL) AND finding_id IN (SELECT id FROM findings WHERE purge_id IS NOT NULL)`,
    )
    .run().changes;
  db.prepare(`UPDATE purges SET findings = findings + ?, verdicts = verdicts + ? WHERE id = ?`).run(findings, verdicts, purgeId);
  return { findings, verdicts };
}

/**
 * `register purge --before DATE`: erases in one transaction and records the purge (with `purgedAt`, for the
 * yearly report), then rewrites the file so that the erased data is not left in free pages or the WAL.
 */
export function purgeBefore(db: Register, before: string, purgedAt: string): PurgeResult {
  const result = db
    .transaction(() => {
      const open = db
        .prepare(
          `SELECT count(*) FROM findings f WHERE f.purge_id IS NULL AND substr(f.to_time, 1, 10) < ?
           AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.finding_id = f.id)`,
        )
        .pluck()
        .get(before) as number;
      const purgeId = Number(db.prepare(`INSERT INTO purges (before, purged_at, findings, verdicts) VALUES (?, ?, 0, 0)`).run(before, purgedAt).lastInsertRowid);
      return { before, open, ...erase(db, before, purgeId) };
    })
    .immediate();
  // The erased pages must leave the file and its WAL. A reader that has the register open (a person looking at
  // it) keeps the WAL from being emptied: then say so, rather than claim the data is gone.
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('VACUUM');
  const [checkpoint] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
  if (checkpoint !== undefined && checkpoint.busy !== 0) {
    throw new OutputError('the personal data is erased in the register, but another program has it open, so old copies stay in its WAL file', {
      hint: 'close every program that has the register open, and run purge again (it erases nothing twice)',
    });
  }
  return result;
}

/** Findings added after a purge that fall before its date are erased at once, and counted with that purge. */
export function erasePastRetention(db: Register): void {
  const latest = db.prepare(`SELECT id, before FROM purges ORDER BY before DESC, id DESC LIMIT 1`).get() as { id: number; before: string } | undefined;
  if (latest) erase(db, latest.before, latest.id);
}

import type { FindingHistory } from '../output/history.js';
import type { Finding } from '../rule-api/types.js';
import type { Register } from './db.js';
import { monthOf } from './runs.js';

/**
 * Marks a run's findings against what the register holds from before: `already judged` when the finding has a
 * verdict, else `repeat` when the same employee had a finding of the same rule in an earlier month, else
 * `new`. A `popular-bsn` finding (user `*`) is about a citizen, not an employee, so it is never a repeat.
 */
export function findingHistory(db: Register, findings: readonly Finding[]): Map<string, FindingHistory> {
  const verdict = db.prepare(`SELECT oordeel, toelichting FROM current_verdicts WHERE finding_id = ?`);
  const earlier = db.prepare(`SELECT 1 FROM findings WHERE login = ? AND rule = ? AND month < ? LIMIT 1`);
  const history = new Map<string, FindingHistory>();
  for (const finding of findings) {
    const judged = verdict.get(finding.id) as { oordeel: string; toelichting: string | null } | undefined;
    if (judged) history.set(finding.id, { mark: 'already judged', verdict: judged });
    else if (finding.user !== '*' && earlier.get(finding.user, finding.rule, monthOf(finding.from))) history.set(finding.id, { mark: 'repeat' });
    else history.set(finding.id, { mark: 'new' });
  }
  return history;
}

import { localDayOfIso, registerRowFor } from '../rule-api/register.js';
import type { Finding, ReferenceData } from '../rule-api/types.js';

/**
 * A known, approved exception: findings it matches leave the worklists and the report, and go to
 * suppressed.jsonl with the suppression that matched. Every field given must match; `reason` and `until`
 * are required, and a suppression past its `until` date stops applying (and is warned about).
 */
export interface Suppression {
  rule?: string;
  user?: string;
  team?: string;
  bsn?: string;
  /**
   * A page: matches the findings whose lookups were all on that page. A finding whose lookups were on
   * several pages (or on none that the log names) is never suppressed by a page.
   */
  page?: string;
  /** First and last local date (inclusive, `YYYY-MM-DD`) of the findings it covers. */
  from?: string;
  to?: string;
  reason: string;
  until: string;
}

const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };

export const SUPPRESSION_SCHEMA = {
  type: 'object',
  required: ['reason', 'until'],
  properties: {
    rule: { type: 'string', minLength: 1 },
    user: { type: 'string', minLength: 1 },
    team: { type: 'string', minLength: 1 },
    bsn: { type: 'string', pattern: '^\\d{9}$' },
    page: { type: 'string', minLength: 1 },
    from: DATE,
    to: DATE,
    reason: { type: 'string', minLength: 1 },
    until: DATE,
  },
  additionalProperties: false,
} as const;

export interface SuppressionOutcome {
  kept: Finding[];
  suppressed: Array<{ finding: Finding; suppression: Suppression }>;
  /** Suppressions past their date on `today`: not applied. */
  expired: Suppression[];
}

/** Splits the findings into those that stay and those an active suppression covers. `today` is `YYYY-MM-DD`. */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
  context: { today: string; users: ReferenceData['users'] },
): SuppressionOutcome {
  const active = suppressions.filter((suppression) => suppression.until >= context.today);
  const expired = suppressions.filter((suppression) => suppression.until < context.today);
  const matches = (suppression: Suppression, finding: Finding) => {
    const date = finding.from.slice(0, 10);
    return (
      (suppression.rule === undefined || suppression.rule === finding.rule) &&
      (suppression.user === undefined || suppression.user === finding.user) &&
      (suppression.bsn === undefined || suppression.bsn === finding.bsn) &&
      (suppression.page === undefined || suppression.page === finding.page) &&
      (suppression.team === undefined || suppression.team === registerRowFor(context.users?.get(finding.user), localDayOfIso(finding.from))?.team) &&
      (suppression.from === undefined || date >= suppression.from) &&
      (suppression.to === undefined || date <= suppression.to)
    );
  };
  const outcome: SuppressionOutcome = { kept: [], suppressed: [], expired };
  for (const finding of findings) {
    const suppression = active.find((candidate) => matches(candidate, finding));
    if (suppression) outcome.suppressed.push({ finding, suppression });
    else outcome.kept.push(finding);
  }
  return outcome;
}

export function suppressedJsonl(suppressed: SuppressionOutcome['suppressed']): string {
  return suppressed.map((entry) => JSON.stringify(entry) + '\n').join('');
}

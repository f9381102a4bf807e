/**
 * # no-case-link
 *
 * ## What it finds
 * Lookups of a BSN for which the caseload holds no case whose period contains the lookup's local date,
 * after widening each period by `graceBeforeDays` before its start (intake: the case is registered after
 * the first lookups) and `graceAfterDays` after its end (after-care, recovery). One finding per employee,
 * citizen and day. Lookups without a BSN are not judged here. Needs `--cases`.
 *
 * ## Why it matters
 * The core norm of usage control: a lookup needs a reason, and the reason is a case. BKWI's whitelist does
 * the same check at the gate (report table 4.2); this rule also covers layouts without escape logging and
 * the municipality's own, more precise case periods.
 *
 * ## Options
 * - `graceBeforeDays` (`30`): days before a case's start that still count as part of it.
 * - `graceAfterDays` (`90`): days after a case's end that still count as part of it.
 *
 * ## Example
 * `0111_wgs_voorbeeld_mv raadpleegde BSN *****6758 op 2026-04-08 zonder zaak in de caseload
 * (1 raadpleging)`
 */
import { BsnTable, bsnNumber, defineRule, forEachCasePeriod, formatDay, type CasePeriod } from '../src/rule-api/index.js';

export interface NoCaseLinkOptions {
  graceBeforeDays: number;
  graceAfterDays: number;
}

/** What a lookup's BSN and date find in the caseload. */
const enum Coverage {
  NoCase,
  Outside,
  Covered,
}

/**
 * The caseload's periods, widened by the grace days, in flat typed arrays: a BSN table that holds a BSN's
 * first period in its slot (most BSNs have one), pointing at a chain of any further ones. Asked for every
 * lookup, it touches the one cache line of the slot where a Map of strings to arrays of objects chases
 * pointers through the heap; a first period kept apart from the slot cost a second cache miss, 4% of a worker.
 */
class CaseIndex {
  /** Per BSN: first day and last day (grace included) of its first period, and its next period (-1: none). */
  private readonly heads: BsnTable;
  /** Per further period, side by side: first day, last day and the next period (-1: none). */
  private readonly periods: Int32Array;

  constructor(cases: ReadonlyMap<string, readonly CasePeriod[]>, before: number, after: number) {
    let further = 0;
    forEachCasePeriod(cases, (_bsn, first) => {
      if (!first) further++;
    });
    this.heads = new BsnTable(cases.size, 3);
    this.periods = new Int32Array(3 * further);
    const heads = this.heads.values;
    let index = 0;
    let at = -1;
    forEachCasePeriod(cases, (bsn, firstOfBsn, start, end) => {
      const first = start - before;
      const last = end === null ? 0x7fffffff : end + after;
      if (firstOfBsn) {
        at = this.heads.claim(bsn);
        heads[at] = first;
        heads[at + 1] = last;
        heads[at + 2] = -1;
      } else {
        // Further periods are chained behind the first, latest first: any period that covers the day will do.
        this.periods[3 * index] = first;
        this.periods[3 * index + 1] = last;
        this.periods[3 * index + 2] = heads[at + 2]!;
        heads[at + 2] = index++;
      }
    });
  }

  /** See BsnTable.touch. */
  touch(bsn: number): number {
    return this.heads.touch(bsn);
  }

  coverage(bsn: number, day: number): Coverage {
    const at = this.heads.find(bsn);
    if (at < 0) return Coverage.NoCase;
    const heads = this.heads.values;
    if (day >= heads[at]! && day <= heads[at + 1]!) return Coverage.Covered;
    const { periods } = this;
    for (let period = heads[at + 2]!; period >= 0; period = periods[3 * period + 2]!) {
      if (day >= periods[3 * period]! && day <= periods[3 * period + 1]!) return Coverage.Covered;
    }
    return Coverage.Outside;
  }
}

export default defineRule<NoCaseLinkOptions>({
  meta: {
    id: 'no-case-link',
    title: 'Raadpleging zonder zaak',
    severity: 'medium',
    basis: { kind: 'source', reference: 'BKWI whitelist / gebruiksrapportage tabel 4.2; Suwi-normenkader (doelbinding)' },
    description:
      'Lookups of a BSN without a case in the caseload whose period (widened by grace days) contains the lookup date.',
    requires: ['cases'],
    options: {
      schema: {
        type: 'object',
        properties: {
          graceBeforeDays: { type: 'integer', minimum: 0 },
          graceAfterDays: { type: 'integer', minimum: 0 },
        },
        additionalProperties: false,
      },
      defaults: { graceBeforeDays: 30, graceAfterDays: 90 },
    },
    messages: {
      noCase: '{{user}} raadpleegde {{citizen}} op {{date}} zonder zaak in de caseload ({{count}} raadpleging(en))',
      outsidePeriod:
        '{{user}} raadpleegde {{citizen}} op {{date}} buiten de looptijd van zaak {{caseId}} ({{caseStart}} t/m {{caseEnd}}) ({{count}} raadpleging(en))',
    },
  },
  create({ options, calendar, reference }) {
    const cases = reference.cases!;
    // Built on the first lookup: the main thread of a run with workers makes the rule but never asks it,
    // and building the index of 40,000 BSNs before the workers could start took 60 ms.
    let index: CaseIndex | null = null;
    const distance = (period: CasePeriod, day: number) =>
      day < period.start ? period.start - day : period.end === null ? 0 : Math.max(0, day - period.end);
    // What warm reads is kept, so that the reads are not left out as unused.
    let touched = 0;
    return {
      // The BSN's slot is a cache miss in a real run (2 MB of table among the chunk's data): read a batch of
      // lookups ahead, the misses overlap. Side by side, 5–7% of a worker's time on v5.
      warm(lookup) {
        if (index !== null && lookup.bsn !== null) touched ^= index.touch(bsnNumber(lookup));
      },
      lookup(lookup, report) {
        if (lookup.bsn === null) return;
        const day = calendar.localDay(lookup.time);
        index ??= new CaseIndex(cases, options.graceBeforeDays, options.graceAfterDays);
        const coverage = index.coverage(bsnNumber(lookup), day);
        if (coverage === Coverage.Covered) return;
        if (coverage === Coverage.NoCase) {
          report({ messageId: 'noCase' });
          return;
        }
        const periods = cases.get(lookup.bsn)!;
        const nearest = periods.reduce((best, period) => (distance(period, day) < distance(best, day) ? period : best));
        report({
          messageId: 'outsidePeriod',
          data: {
            caseId: nearest.caseId ?? '(zonder nummer)',
            caseStart: formatDay(nearest.start),
            caseEnd: nearest.end === null ? 'open' : formatDay(nearest.end),
          },
        });
      },
    };
  },
});

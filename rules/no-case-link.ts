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
import { defineRule, formatDay, type CasePeriod } from '../src/rule-api/index.js';

export interface NoCaseLinkOptions {
  graceBeforeDays: number;
  graceAfterDays: number;
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
    const covers = (period: CasePeriod, day: number) =>
      day >= period.start - options.graceBeforeDays &&
      (period.end === null || day <= period.end + options.graceAfterDays);
    const distance = (period: CasePeriod, day: number) =>
      day < period.start ? period.start - day : period.end === null ? 0 : Math.max(0, day - period.end);
    return {
      lookup(lookup, report) {
        if (lookup.bsn === null) return;
        const periods = cases.get(lookup.bsn);
        if (periods === undefined || periods.length === 0) {
          report({ messageId: 'noCase' });
          return;
        }
        const day = calendar.localDay(lookup.time);
        if (periods.some((period) => covers(period, day))) return;
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

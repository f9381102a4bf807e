/**
 * # invalid-bsn
 *
 * ## What it finds
 * Lookups of a number that is not a BSN: nine digits (eight-digit numbers get a leading zero) that fail
 * the 11-check, including `000000000`. A BSN of a BKWI test person (`9999xxxxx`, which passes the
 * 11-check) is reported with its own message, because test persons do not belong in production logs. One
 * finding per employee, number and day. Searches without a BSN are not judged.
 *
 * ## Why it matters
 * Suwinet answers nothing useful for a number that is not a BSN, so the lookup was a typo, a search by
 * trial and error, or a fault in the case system that feeds Suwinet-Inlezen. Test persons in production
 * point at test scripts or accounts used outside the test environment. Low severity: worth a look, rarely
 * misuse.
 *
 * ## Options
 * - `reportTestBsns` (`true`): report lookups of test persons (`9999xxxxx`).
 *
 * ## Example
 * `0188_gsd_voorbeeld_mb raadpleegde op 2026-04-13 om 15:04 het nummer *****1476, dat geen geldig BSN is
 * (11-proef) (1 raadpleging(en))`
 */
import { defineRule, isTestBsn, isValidBsn } from '../src/rule-api/index.js';

export interface InvalidBsnOptions {
  reportTestBsns: boolean;
}

export default defineRule<InvalidBsnOptions>({
  meta: {
    id: 'invalid-bsn',
    title: 'Raadpleging van een ongeldig BSN',
    severity: 'low',
    basis: {
      kind: 'heuristic',
      reference: 'a number that fails the 11-check is no BSN; test persons (9999xxxxx) do not belong in production',
    },
    description: 'A BSN that fails the 11-check; a BSN of a test person (9999xxxxx) in production data.',
    options: {
      schema: {
        type: 'object',
        properties: { reportTestBsns: { type: 'boolean' } },
        additionalProperties: false,
      },
      defaults: { reportTestBsns: true },
    },
    messages: {
      invalid:
        '{{user}} raadpleegde op {{date}} om {{from}} het nummer {{bsn}}, dat geen geldig BSN is (11-proef) ({{count}} raadpleging(en))',
      testBsn:
        '{{user}} raadpleegde op {{date}} om {{from}} testpersoon {{citizen}} (BKWI-testreeks 9999xxxxx) in de productieomgeving ({{count}} raadpleging(en))',
    },
  },
  create({ options }) {
    return {
      lookup(lookup, report) {
        if (lookup.bsn === null) return;
        if (!isValidBsn(lookup.bsn)) report({ messageId: 'invalid' });
        else if (options.reportTestBsns && isTestBsn(lookup.bsn)) report({ messageId: 'testBsn' });
      },
    };
  },
});

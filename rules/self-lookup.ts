/**
 * # self-lookup
 *
 * ## What it finds
 * An employee who looks up their own BSN: the BSN of the lookup is the `bsn` of one of the rows of the
 * same login in the user register (any employment period). One finding per employee and day. Needs
 * `--users` with a `bsn` column; logins without a BSN in the register are not judged.
 *
 * ## Why it matters
 * Nobody handles their own file: looking yourself up shows what the municipality, UWV or the
 * Belastingdienst know about you, and may be the start of changing it. There is no work reason for it,
 * so every case is worth a talk.
 *
 * ## Options
 * None.
 *
 * ## Example
 * `0188_gsd_voorbeeld_mb raadpleegde op 2026-04-10 om 09:32 het eigen BSN (BSN *****5503) (1 raadpleging(en));
 * een medewerker behandelt nooit het eigen dossier`
 */
import { defineRule } from '../src/rule-api/index.js';

export type SelfLookupOptions = Record<string, never>;

export default defineRule<SelfLookupOptions>({
  meta: {
    id: 'self-lookup',
    title: 'Raadpleging van het eigen BSN',
    severity: 'high',
    basis: { kind: 'heuristic', reference: 'an employee has no work reason to look up their own BSN' },
    description: 'A user looks up their own BSN, as recorded in the user register.',
    requires: ['users'],
    options: {
      schema: { type: 'object', properties: {}, additionalProperties: false },
      defaults: {},
    },
    messages: {
      ownBsn:
        '{{user}} raadpleegde op {{date}} om {{from}} het eigen BSN ({{citizen}}) ({{count}} raadpleging(en)); een medewerker behandelt nooit het eigen dossier',
    },
  },
  create({ reference, bsnKey }) {
    const users = reference.users!;
    return {
      lookup(lookup, report) {
        if (lookup.bsn === null) return;
        const key = bsnKey(lookup.bsn);
        if (users.get(lookup.user)?.some((row) => row.bsn === key)) report({ messageId: 'ownBsn' });
      },
    };
  },
});

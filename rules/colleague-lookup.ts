/**
 * # colleague-lookup
 *
 * ## What it finds
 * An employee who looks up the BSN of someone else in the user register: a colleague, or a former one
 * (every row of the register counts, whatever its employment period). The message names the colleague
 * by login, never by BSN. A lookup of the employee's own BSN is a `self-lookup`, not also this; when two
 * logins share a BSN (one person, two accounts), either login looking it up is a self-lookup. One finding
 * per employee, colleague and day. Needs `--users` with a `bsn` column.
 *
 * ## Why it matters
 * Curiosity about colleagues (a salary, a divorce, a debt) is one of the common forms of misuse, and the
 * one a team leader is least likely to hear about. Colleagues are rarely clients of their own
 * municipality; when one is, the lookup is still worth a question.
 *
 * ## Options
 * None.
 *
 * ## Example
 * `0086_gsd_voorbeeld_jb raadpleegde op 2026-04-20 om 13:52 de gegevens van collega 0215_wgs_voorbeeld_bm
 * (1 raadpleging(en))`
 */
import { defineRule } from '../src/rule-api/index.js';

export type ColleagueLookupOptions = Record<string, never>;

export default defineRule<ColleagueLookupOptions>({
  meta: {
    id: 'colleague-lookup',
    title: 'Raadpleging van een collega',
    severity: 'high',
    basis: { kind: 'heuristic', reference: "looking up colleagues' data is curiosity, not casework" },
    description: 'A user looks up the BSN of another person in the user register; the message names that login.',
    requires: ['users'],
    options: {
      schema: { type: 'object', properties: {}, additionalProperties: false },
      defaults: {},
    },
    messages: {
      colleague: '{{user}} raadpleegde op {{date}} om {{from}} de gegevens van collega {{colleague}} ({{count}} raadpleging(en))',
    },
  },
  create({ reference, bsnKey }) {
    const users = reference.users!;
    const loginsByBsn = new Map<string, string[]>();
    for (const [login, rows] of users) {
      for (const row of rows) {
        if (row.bsn === null) continue;
        const logins = loginsByBsn.get(row.bsn) ?? [];
        if (!logins.includes(login)) logins.push(login);
        loginsByBsn.set(row.bsn, logins);
      }
    }
    for (const logins of loginsByBsn.values()) logins.sort();
    return {
      lookup(lookup, report) {
        if (lookup.bsn === null) return;
        const owners = loginsByBsn.get(bsnKey(lookup.bsn));
        if (owners === undefined || owners.includes(lookup.user)) return;
        report({ messageId: 'colleague', data: { colleague: owners.join(', ') } });
      },
    };
  },
});

/**
 * # role-page-mismatch
 *
 * ## What it finds
 * Lookups of a page that none of the employee's roles allows in the authorisation matrix (`--authz`: one
 * row per role and allowed page). The roles are those on the log line; when the line has none, those of
 * the login's rows in the user register (`--users`) whose employment period contains the lookup's local
 * date. A role the matrix does not know allows nothing. Not judged: lookups without a page (SI Upgrade v5
 * logs a task, not a page), and lookups whose roles cannot be told (none on the line, and no register row
 * valid that day: an unknown or ended account is `inactive-account`'s business). One finding per
 * employee, citizen, page and day. Needs `--authz`.
 *
 * ## Why it matters
 * Suwinet shows each role only the pages it needs; a page outside the role means the authorisation is
 * wider than the matrix the municipality decided on, or an account is used by someone else. BKWI's usage
 * report lists the pages used per role (table 4.1) for exactly this comparison.
 *
 * ## Options
 * None.
 *
 * ## Example
 * `0173_wgs_voorbeeld_mv opende op 2026-04-10 om 11:59 pagina 'kadaster-zoek' over BSN *****6725; geen van
 * de rollen (volgens de logregel: BASIS_GSD, FR1901003, R1) geeft toegang tot die pagina (1 raadpleging(en))`
 */
import { defineRule, employedOn } from '../src/rule-api/index.js';

export type RolePageMismatchOptions = Record<string, never>;

export default defineRule<RolePageMismatchOptions>({
  meta: {
    id: 'role-page-mismatch',
    title: 'Pagina buiten de rol',
    severity: 'medium',
    basis: { kind: 'source', reference: 'BKWI gebruiksrapportage, tabel 4.1 (gebruikte pagina\'s per rol); autorisatiematrix' },
    description: 'A page that none of the user\'s roles allows in the authorisation matrix (roles from the line, else from the register).',
    requires: ['authz'],
    options: {
      schema: { type: 'object', properties: {}, additionalProperties: false },
      defaults: {},
    },
    messages: {
      pageNotAllowed:
        "{{user}} opende op {{date}} om {{from}} pagina '{{page}}' over {{citizen}}; geen van de rollen (volgens {{rolesFrom}}: {{roles}}) geeft toegang tot die pagina ({{count}} raadpleging(en))",
    },
  },
  create({ calendar, reference }) {
    const authz = reference.authz!;
    const users = reference.users;
    const registeredRoles = (login: string, time: number): string[] => {
      const day = calendar.localDay(time);
      const roles = (users?.get(login) ?? []).filter((row) => employedOn(row, day)).flatMap((row) => row.roles);
      return [...new Set(roles)];
    };
    return {
      lookup(lookup, report) {
        const { page } = lookup;
        if (page === null) return;
        const fromLine = lookup.roles.length > 0;
        const roles = fromLine ? lookup.roles : registeredRoles(lookup.user, lookup.time);
        if (roles.length === 0) return;
        if (roles.some((role) => authz.get(role)?.has(page))) return;
        report({
          messageId: 'pageNotAllowed',
          data: { page, roles: roles.join(', '), rolesFrom: fromLine ? 'de logregel' : 'het gebruikersregister' },
          group: `${calendar.localDay(lookup.time)}\u0000${page}`,
        });
      },
    };
  },
});

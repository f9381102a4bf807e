/**
 * # other-team-case
 *
 * ## What it finds
 * Lookups of a BSN that has cases in the caseload, but none with the employee's own team: every case of the
 * citizen belongs to another team, and none names the employee as its worker. The employee's team comes
 * from the user register (every row of the login counts, so a move between teams is not reported); teams
 * are compared without regard to case. Not judged: lookups without a BSN, BSNs without any case (that is
 * `no-case-link`), logins without a team in the register, and citizens with a case that names no team.
 * The case periods do not matter here; whether a case covers the date is `no-case-link`'s question. One
 * finding per employee, citizen and day. Needs `--cases` and `--users`.
 *
 * Opt-in (`--enable other-team-case`): in many municipalities teams help each other, and a lookup for a
 * colleague's client is normal. Where teams keep to their own caseload, it is a useful signal.
 *
 * ## Why it matters
 * The whitelist only knows that the municipality has a relationship with the citizen, not which team has
 * it. A debt counsellor looking up a benefit client of the income team has a case link on paper but no
 * work reason, unless the teams work together on the case.
 *
 * ## Options
 * None.
 *
 * ## Example
 * `0173_wgs_voorbeeld_mv (team schuldhulp) raadpleegde BSN *****4317 op 2026-04-13 om 12:42; deze persoon
 * heeft alleen een zaak bij team inkomen (1 raadpleging(en))`
 */
import { defineRule } from '../src/rule-api/index.js';

export type OtherTeamCaseOptions = Record<string, never>;

const normalise = (team: string) => team.trim().toLowerCase();

export default defineRule<OtherTeamCaseOptions>({
  meta: {
    id: 'other-team-case',
    title: 'Raadpleging voor een zaak van een ander team',
    severity: 'low',
    basis: { kind: 'heuristic', reference: 'a team works its own caseload; a client of another team needs a reason' },
    description: 'A BSN with cases in the caseload, but only with other teams than the user\'s team in the register (opt-in).',
    requires: ['cases', 'users'],
    optIn: true,
    options: {
      schema: { type: 'object', properties: {}, additionalProperties: false },
      defaults: {},
    },
    messages: {
      otherTeam:
        '{{user}} (team {{team}}) raadpleegde {{citizen}} op {{date}} om {{from}}; deze persoon heeft alleen een zaak bij team {{caseTeams}} ({{count}} raadpleging(en))',
    },
  },
  create({ reference }) {
    const cases = reference.cases!;
    /** Per login: its teams in the register, normalised, and as written. */
    const teams = new Map<string, { keys: Set<string>; names: string }>();
    for (const [login, rows] of reference.users!) {
      const names = [...new Set(rows.map((row) => row.team).filter((team): team is string => team !== null))];
      if (names.length > 0) teams.set(login, { keys: new Set(names.map(normalise)), names: names.join(', ') });
    }
    return {
      lookup(lookup, report) {
        if (lookup.bsn === null) return;
        const periods = cases.get(lookup.bsn);
        const own = teams.get(lookup.user);
        if (periods === undefined || periods.length === 0 || own === undefined) return;
        const others = new Set<string>();
        for (const period of periods) {
          if (period.team === null || period.worker === lookup.user || own.keys.has(normalise(period.team))) return;
          others.add(period.team);
        }
        report({ messageId: 'otherTeam', data: { team: own.names, caseTeams: [...others].sort().join(', ') } });
      },
    };
  },
});

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
import { BsnTable, bsnNumber, defineRule, forEachCasePeriod, Numbering, type CasePeriod } from '../src/rule-api/index.js';

export type OtherTeamCaseOptions = Record<string, never>;

const normalise = (team: string) => team.trim().toLowerCase();

/** A login's teams in the register: as numbers of their normalised names, and as written; its number as a case worker. */
interface OwnTeams {
  teams: Set<number>;
  names: string;
  worker: number;
}

/**
 * The caseload as this rule asks it, once per lookup: per BSN its cases' teams, as numbers of their
 * normalised names (-1 for a case without team), and their workers, as numbers of their logins (-1 for
 * none), in flat typed arrays. Asking the caseload itself built its periods as objects and normalised
 * their teams on every lookup: 0.7 µs a lookup that it does not report (0.3 with the index).
 */
class TeamIndex {
  /** Per BSN: where its cases start in the columns below, and how many there are. */
  private readonly heads: BsnTable;
  /** Per case: its team as written, as an index into `written`; -1 for none. */
  private readonly teams: Int32Array;
  private readonly workers: Int32Array;
  /** Teams as written, and the number of each one's normalised name. */
  private readonly written = new Numbering<string>();
  private readonly normalised: number[] = [];
  private readonly own = new Map<string, OwnTeams>();
  /** Per BSN reported: its cases' teams as the message names them. */
  private readonly caseTeams = new Map<number, string>();

  constructor(cases: ReadonlyMap<string, readonly CasePeriod[]>, users: ReadonlyMap<string, ReadonlyArray<{ team: string | null }>>) {
    const teamNumbers = new Numbering<string>();
    const workerNumbers = new Numbering<string>();
    let count = 0;
    forEachCasePeriod(cases, () => count++);
    this.heads = new BsnTable(cases.size, 2);
    this.teams = new Int32Array(count);
    this.workers = new Int32Array(count);
    let at = 0;
    let head = -1;
    forEachCasePeriod(cases, (bsn, first, _start, _end, team, worker) => {
      if (first) {
        head = this.heads.claim(bsn);
        this.heads.values[head] = at;
      }
      this.heads.values[head + 1]!++;
      let index = -1;
      if (team !== null) {
        index = this.written.numberOf(team);
        if (index === this.normalised.length) this.normalised.push(teamNumbers.numberOf(normalise(team)));
      }
      this.teams[at] = index;
      this.workers[at++] = worker === null ? -1 : workerNumbers.numberOf(worker);
    });
    for (const [login, rows] of users) {
      const names = [...new Set(rows.flatMap((row) => (row.team === null ? [] : [row.team])))];
      if (names.length === 0) continue;
      this.own.set(login, { teams: new Set(names.map((name) => teamNumbers.numberOf(normalise(name)))), names: names.join(', '), worker: workerNumbers.get(login) ?? -2 });
    }
  }

  /**
   * What the rule reports for the BSN and the user: the user's teams and the teams of the BSN's cases, when
   * it has cases, every one with a team, none of them the user's and none worked by the user. Null
   * otherwise, and for a user without a team in the register.
   */
  otherTeams(bsn: number, user: string): { team: string; caseTeams: string } | null {
    const own = this.own.get(user);
    if (own === undefined) return null;
    const head = this.heads.find(bsn);
    if (head < 0) return null;
    const first = this.heads.values[head]!;
    const end = first + this.heads.values[head + 1]!;
    if (first === end) return null;
    for (let at = first; at < end; at++) {
      const team = this.teams[at]!;
      if (team === -1 || this.workers[at] === own.worker || own.teams.has(this.normalised[team]!)) return null;
    }
    let caseTeams = this.caseTeams.get(bsn);
    if (caseTeams === undefined) {
      caseTeams = [...new Set(Array.from(this.teams.subarray(first, end), (team) => this.written.keys[team]!))].sort().join(', ');
      this.caseTeams.set(bsn, caseTeams);
    }
    return { team: own.names, caseTeams };
  }
}

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
    const users = reference.users!;
    // Built on the first lookup: the main thread of a run with workers makes the rule but never asks it.
    let index: TeamIndex | null = null;
    return {
      lookup(lookup, report) {
        if (lookup.bsn === null) return;
        index ??= new TeamIndex(cases, users);
        const data = index.otherTeams(bsnNumber(lookup), lookup.user);
        if (data !== null) report({ messageId: 'otherTeam', data });
      },
    };
  },
});

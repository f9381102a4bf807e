import { describe, expect, it } from 'vitest';
import otherTeamCase from '../../rules/other-team-case.js';
import { testRule, type CasePeriod, type Lookup, type ReferenceData, type RegisteredUser } from '../../src/rule-api/index.js';
import { prng } from '../support/prng.js';
import { parseDay } from '../../src/time/civil.js';

function casePeriod(team: string | null, worker: string | null = null): CasePeriod {
  return { caseId: null, team, worker, start: parseDay('2025-01-01')!, end: null };
}

function user(login: string, team: string | null): RegisteredUser {
  return { login, name: null, team, roles: [], start: null, end: null, bsn: null };
}

const reference: ReferenceData = {
  cases: new Map([
    ['111222333', [casePeriod('inkomen')]],
    ['249566758', [casePeriod('inkomen'), casePeriod('Schuldhulp')]],
    ['111111110', [casePeriod('schuldhulp', 'debt')]],
    ['683938861', [casePeriod(null)]],
    ['768510338', [casePeriod('inkomen'), casePeriod('handhaving')]],
  ]),
  users: new Map([
    ['income', [user('income', 'inkomen')]],
    ['debt', [user('debt', 'schuldhulp')]],
    // Moved from schuldhulp to burgerzaken: both teams count.
    ['moved', [user('moved', 'schuldhulp'), user('moved', 'burgerzaken')]],
    ['noteam', [user('noteam', null)]],
  ]),
};

describe('other-team-case', () => {
  it('is opt-in and needs the caseload and the register', () => {
    expect(otherTeamCase.meta.optIn).toBe(true);
    expect(otherTeamCase.meta.requires).toEqual(['cases', 'users']);
  });

  it('reports lookups of citizens whose cases all belong to other teams', () => {
    testRule(otherTeamCase, {
      valid: [
        { name: "the user's own team", lookups: [{ time: '2026-04-08T10:00:00', user: 'income', bsn: '111222333' }], reference },
        { name: 'one of two cases is with the own team, in other letter case', lookups: [{ time: '2026-04-08T10:00:00', user: 'debt', bsn: '249566758' }], reference },
        { name: 'the user is the case worker', lookups: [{ time: '2026-04-08T10:00:00', user: 'debt', bsn: '111111110' }], reference },
        { name: 'an earlier team of the user', lookups: [{ time: '2026-04-08T10:00:00', user: 'moved', bsn: '111111110' }], reference },
        { name: 'no case at all (no-case-link)', lookups: [{ time: '2026-04-08T10:00:00', user: 'income', bsn: '010000021' }], reference },
        { name: 'a case without a team', lookups: [{ time: '2026-04-08T10:00:00', user: 'income', bsn: '683938861' }], reference },
        { name: 'a user without a team', lookups: [{ time: '2026-04-08T10:00:00', user: 'noteam', bsn: '111222333' }], reference },
        { name: 'a login not in the register', lookups: [{ time: '2026-04-08T10:00:00', user: 'ghost', bsn: '111222333' }], reference },
        { name: 'a search without a BSN', lookups: [{ time: '2026-04-08T10:00:00', user: 'debt', searchKeys: { Postcode: '5346AB' } }], reference },
      ],
      invalid: [
        {
          name: "a client of the income team, looked up twice by a debt counsellor, and again the next day",
          lookups: [
            { time: '2026-04-08T10:00:00', user: 'debt', bsn: '111222333' },
            { time: '2026-04-08T10:05:00', user: 'debt', bsn: '111222333' },
            { time: '2026-04-09T09:00:00', user: 'debt', bsn: '111222333' },
          ],
          reference,
          findings: [
            { messageId: 'otherTeam', user: 'debt', bsn: '111222333', count: 2, severity: 'low', data: { team: 'schuldhulp', caseTeams: 'inkomen' } },
            { messageId: 'otherTeam', user: 'debt', bsn: '111222333', count: 1 },
          ],
        },
        {
          name: 'every other team is named',
          lookups: [{ time: '2026-04-08T10:00:00', user: 'moved', bsn: '768510338' }],
          reference,
          findings: [{ messageId: 'otherTeam', data: { team: 'schuldhulp, burgerzaken', caseTeams: 'handhaving, inkomen' } }],
        },
      ],
    });
  });
});

describe('other-team-case, against the rule as it asked the caseload itself', () => {
  /** The rule's judgement as first written: the BSN's periods from the caseload, teams normalised per lookup. */
  function judged(cases: Map<string, CasePeriod[]>, users: Map<string, RegisteredUser[]>, login: string, bsn: string) {
    const normalise = (team: string) => team.trim().toLowerCase();
    const names = [...new Set((users.get(login) ?? []).map((row) => row.team).filter((team): team is string => team !== null))];
    const periods = cases.get(bsn);
    if (periods === undefined || periods.length === 0 || names.length === 0) return null;
    const keys = new Set(names.map(normalise));
    const others = new Set<string>();
    for (const period of periods) {
      if (period.team === null || period.worker === login || keys.has(normalise(period.team))) return null;
      others.add(period.team);
    }
    return { team: names.join(', '), caseTeams: [...others].sort().join(', ') };
  }

  it('reports the same lookups with the same data (differential, random caseloads and registers)', () => {
    const random = prng(20261129);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const TEAMS = ['inkomen', 'Inkomen', ' inkomen ', 'schuldhulp', 'handhaving', 'burgerzaken', null];
    const logins = Array.from({ length: 12 }, (_, index) => `user${index}`);
    for (let round = 0; round < 20; round++) {
      const cases = new Map<string, CasePeriod[]>();
      for (let index = 0; index < 60; index++) {
        const bsn = String(100000000 + Math.floor(random() * 899999999));
        cases.set(bsn, Array.from({ length: Math.floor(random() * 4) }, () => casePeriod(pick(TEAMS), random() < 0.2 ? pick(logins) : null)));
      }
      const users = new Map(logins.filter(() => random() < 0.8).map((login) => [login, Array.from({ length: 1 + Math.floor(random() * 2) }, () => user(login, pick(TEAMS)))]));
      const reports: Array<{ login: string; bsn: string; data: unknown }> = [];
      const hooks = otherTeamCase.create({ options: {}, reference: { cases, users } } as unknown as Parameters<typeof otherTeamCase.create>[0]);
      const bsns = [...cases.keys(), '010000021'];
      const expected: typeof reports = [];
      for (let step = 0; step < 400; step++) {
        const login = pick(logins);
        const bsn = pick(bsns);
        hooks.lookup!({ user: login, bsn } as Lookup, (report) => reports.push({ login, bsn, data: report.data }));
        const data = judged(cases, users, login, bsn);
        if (data !== null) expected.push({ login, bsn, data });
      }
      expect(reports).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
    }
  });
});

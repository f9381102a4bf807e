import { describe, expect, it } from 'vitest';
import otherTeamCase from '../../rules/other-team-case.js';
import { testRule, type CasePeriod, type ReferenceData, type RegisteredUser } from '../../src/rule-api/index.js';
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

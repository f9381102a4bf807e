import { describe, it } from 'vitest';
import rolePageMismatch from '../../rules/role-page-mismatch.js';
import { testRule, type ReferenceData, type RegisteredUser } from '../../src/rule-api/index.js';
import { parseDay } from '../../src/time/civil.js';

const authz = new Map<string, Set<string>>([
  ['BASIS_GSD', new Set(['gba-zoek'])],
  ['FR0999001', new Set(['bijstandsregelingen', 'uwv-polis', 'kadaster-zoek'])],
  ['FR0999003', new Set(['bijstandsregelingen', 'uwv-polis'])],
]);

function row(login: string, roles: string[], start: string, end: string | null): RegisteredUser {
  return { login, name: null, team: null, roles, start: parseDay(start), end: end === null ? null : parseDay(end), bsn: null };
}

const users = new Map<string, RegisteredUser[]>([
  ['schuld', [row('schuld', ['BASIS_GSD', 'FR0999003'], '2015-01-01', null)]],
  // Moved from debt relief to income on 1 April 2026: two periods with different roles.
  [
    'moved',
    [row('moved', ['BASIS_GSD', 'FR0999003'], '2015-01-01', '2026-03-31'), row('moved', ['BASIS_GSD', 'FR0999001'], '2026-04-01', null)],
  ],
  ['left', [row('left', ['BASIS_GSD', 'FR0999001'], '2015-01-01', '2026-03-31')]],
]);

const reference: ReferenceData = { authz, users };
const authzOnly: ReferenceData = { authz };
const debtRoles = ['BASIS_GSD', 'FR0999003', 'R1'];

describe('role-page-mismatch', () => {
  it('flags pages that none of the roles allows', () => {
    testRule(rolePageMismatch, {
      valid: [
        { name: 'page of the function role', lookups: [{ time: '2026-04-02T10:00:00', roles: debtRoles, page: 'uwv-polis' }], reference },
        { name: 'page of the basic role', lookups: [{ time: '2026-04-02T10:00:00', roles: debtRoles, page: 'gba-zoek' }], reference: authzOnly },
        { name: 'no page (SI Upgrade v5) is not judged', lookups: [{ time: '2026-04-02T10:00:00', roles: debtRoles, bsn: '111222333' }], reference },
        {
          name: 'roles from the register when the line has none',
          lookups: [{ time: '2026-04-02T10:00:00', user: 'schuld', page: 'bijstandsregelingen' }],
          reference,
        },
        {
          name: 'the register row valid on that date gives the roles',
          lookups: [{ time: '2026-04-02T10:00:00', user: 'moved', page: 'kadaster-zoek' }],
          reference,
        },
        {
          name: 'no roles on the line and no register: not judged',
          lookups: [{ time: '2026-04-02T10:00:00', user: 'schuld', page: 'kadaster-zoek' }],
          reference: authzOnly,
        },
        {
          name: 'no roles on the line and no register row valid that day: not judged',
          lookups: [{ time: '2026-04-02T10:00:00', user: 'left', page: 'kadaster-zoek' }],
          reference,
        },
      ],
      invalid: [
        {
          name: 'a debt-relief employee in the land registry',
          lookups: [{ time: '2026-04-02T10:00:00', user: 'schuld', roles: debtRoles, page: 'kadaster-zoek', bsn: '111222333' }],
          reference,
          findings: [
            {
              messageId: 'pageNotAllowed',
              user: 'schuld',
              bsn: '111222333',
              severity: 'medium',
              data: { page: 'kadaster-zoek', roles: 'BASIS_GSD, FR0999003, R1', rolesFrom: 'de logregel' },
            },
          ],
        },
        {
          name: 'roles the matrix does not know allow nothing',
          lookups: [{ time: '2026-04-02T10:00:00', roles: ['R1', 'WE_GSD'], page: 'gba-zoek' }],
          reference,
          findings: [{ messageId: 'pageNotAllowed', data: { roles: 'R1, WE_GSD' } }],
        },
        {
          name: 'the roles on the line win over the register',
          lookups: [{ time: '2026-04-02T10:00:00', user: 'moved', roles: debtRoles, page: 'kadaster-zoek' }],
          reference,
          findings: [{ messageId: 'pageNotAllowed', data: { rolesFrom: 'de logregel' } }],
        },
        {
          name: 'roles from the register when the line has none',
          lookups: [{ time: '2026-04-02T10:00:00', user: 'schuld', page: 'kadaster-zoek' }],
          reference,
          findings: [{ messageId: 'pageNotAllowed', data: { roles: 'BASIS_GSD, FR0999003', rolesFrom: 'het gebruikersregister' } }],
        },
        {
          name: 'several periods: the row valid on the local date counts',
          lookups: [{ time: '2026-03-31T23:30:00', user: 'moved', page: 'kadaster-zoek' }],
          reference,
          findings: [{ messageId: 'pageNotAllowed', data: { roles: 'BASIS_GSD, FR0999003' } }],
        },
        {
          name: 'a search without BSN on a forbidden page',
          lookups: [{ time: '2026-04-02T10:00:00', roles: debtRoles, page: 'rdw-zoek', searchKeys: { Kenteken: '12ABC3' } }],
          reference,
          findings: [{ messageId: 'pageNotAllowed', bsn: null, data: { page: 'rdw-zoek' } }],
        },
        {
          name: 'one finding per citizen, page and day',
          lookups: [
            { time: '2026-04-02T10:00:00', roles: debtRoles, page: 'kadaster-zoek', bsn: '111222333' },
            { time: '2026-04-02T10:00:20', roles: debtRoles, page: 'kadaster-zoek', bsn: '111222333' },
            { time: '2026-04-02T10:00:40', roles: debtRoles, page: 'rdw-zoek', bsn: '111222333' },
            { time: '2026-04-02T10:01:00', roles: debtRoles, page: 'uwv-polis', bsn: '111222333' },
          ],
          reference,
          findings: [
            { messageId: 'pageNotAllowed', count: 2, data: { page: 'kadaster-zoek' } },
            { messageId: 'pageNotAllowed', count: 1, data: { page: 'rdw-zoek' } },
          ],
        },
      ],
    });
  });
});

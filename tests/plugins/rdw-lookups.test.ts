/** The example plugin's own test, written as a municipal developer would: with testRule from the package. */
import { describe, it } from 'vitest';
import { testRule, type ReferenceData, type RegisteredUser } from 'suwinet-audit';
import rdwLookups from '../../fixtures/plugins/rdw-lookups.js';

function user(login: string, team: string): [string, RegisteredUser[]] {
  return [login, [{ login, name: null, team, roles: [], start: null, end: null, bsn: null }]];
}
const reference: ReferenceData = { users: new Map([user('inkomen1', 'inkomen'), user('handhaving1', 'handhaving')]) };

describe('rdw-lookups (example plugin)', () => {
  it('reports RDW lookups by teams that may not make them', () => {
    testRule(rdwLookups, {
      valid: [
        { name: 'handhaving may', lookups: [{ time: '2026-03-02T10:00:00', user: 'handhaving1', page: 'rdw-zoek' }], reference },
        { name: 'another page', lookups: [{ time: '2026-03-02T10:00:00', user: 'inkomen1', page: 'gba-zoek' }], reference },
        { name: 'v5 has no page', lookups: [{ time: '2026-03-02T10:00:00', user: 'inkomen1' }], reference },
      ],
      invalid: [
        {
          name: 'inkomen may not',
          lookups: [{ time: '2026-03-02T10:12:00', user: 'inkomen1', page: 'rdw-zoek', bsn: '111222333' }],
          reference,
          findings: [{ messageId: 'rdw', data: { team: 'inkomen' }, bsn: '111222333' }],
        },
        {
          name: 'an employee the register does not know',
          lookups: [{ time: '2026-03-02T10:12:00', user: 'stranger', page: 'rdw-zoek' }],
          reference,
          findings: [{ messageId: 'rdw', data: { team: 'onbekend' } }],
        },
        {
          name: 'other allowed teams',
          lookups: [{ time: '2026-03-02T10:12:00', user: 'handhaving1', page: 'kadaster-zoek' }],
          options: { pages: ['kadaster-zoek'], teams: ['inkomen'] },
          reference,
          findings: [{ messageId: 'rdw', data: { team: 'handhaving' } }],
        },
      ],
    });
  });
});

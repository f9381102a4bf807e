import { describe, it } from 'vitest';
import colleagueLookup from '../../rules/colleague-lookup.js';
import { testRule } from '../../src/rule-api/index.js';
import { register } from '../support/reference.js';


const reference = register([
  ['u1', '111222333', '2015-01-01', null],
  ['u2', '249566758', '2015-01-01', null],
  ['left', '683938861', '2010-01-01', '2025-06-30'],
  ['zero', '010000021', '2015-01-01', null],
  // One person with two accounts: the old one, and the one after moving teams.
  ['old_login', '319072356', '2010-01-01', '2019-12-31'],
  ['new_login', '319072356', '2020-01-01', null],
]);

describe('colleague-lookup', () => {
  it("flags lookups of another employee's BSN and names the colleague by login", () => {
    testRule(colleagueLookup, {
      valid: [
        { name: 'a client', lookups: [{ time: '2026-04-02T10:00:00', user: 'u1', bsn: '768510338' }], reference },
        { name: 'own BSN is a self-lookup, not this', lookups: [{ time: '2026-04-02T10:00:00', user: 'u1', bsn: '111222333' }], reference },
        {
          name: 'same person, other account of their own',
          lookups: [{ time: '2026-04-02T10:00:00', user: 'new_login', bsn: '319072356' }],
          reference,
        },
        { name: 'a search without BSN', lookups: [{ time: '2026-04-02T10:00:00', user: 'u1' }], reference },
      ],
      invalid: [
        {
          name: "a colleague's BSN",
          lookups: [{ time: '2026-04-02T10:00:00', user: 'u1', bsn: '249566758' }],
          reference,
          findings: [{ messageId: 'colleague', user: 'u1', bsn: '249566758', severity: 'high', data: { colleague: 'u2' } }],
        },
        {
          name: 'a former colleague counts too',
          lookups: [{ time: '2026-04-02T10:00:00', user: 'u2', bsn: '683938861' }],
          reference,
          findings: [{ messageId: 'colleague', data: { colleague: 'left' } }],
        },
        {
          name: 'someone outside the register looking up an employee',
          lookups: [{ time: '2026-04-02T10:00:00', user: 'stranger', bsn: '111222333' }],
          reference,
          findings: [{ messageId: 'colleague', user: 'stranger', data: { colleague: 'u1' } }],
        },
        {
          name: 'a BSN with two logins names both',
          lookups: [{ time: '2026-04-02T10:00:00', user: 'u1', bsn: '319072356' }],
          reference,
          findings: [{ messageId: 'colleague', data: { colleague: 'new_login, old_login' } }],
        },
        {
          name: 'eight-digit BSN in the log is normalised',
          lookups: [{ time: '2026-04-02T10:00:00', user: 'u1', bsn: '10000021', searchKeys: { bsn: '10000021' } }],
          reference,
          findings: [{ messageId: 'colleague', bsn: '010000021', data: { colleague: 'zero' } }],
        },
        {
          name: 'one finding per colleague and day',
          lookups: [
            { time: '2026-04-02T10:00:00', user: 'u1', bsn: '249566758' },
            { time: '2026-04-02T15:00:00', user: 'u1', bsn: '249566758' },
            { time: '2026-04-02T15:10:00', user: 'u1', bsn: '683938861' },
          ],
          reference,
          findings: [
            { messageId: 'colleague', count: 2, data: { colleague: 'u2' } },
            { messageId: 'colleague', count: 1, data: { colleague: 'left' } },
          ],
        },
      ],
    });
  });
});

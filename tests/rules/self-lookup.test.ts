import { describe, it } from 'vitest';
import selfLookup from '../../rules/self-lookup.js';
import { testRule } from '../../src/rule-api/index.js';
import { register } from '../support/reference.js';


const reference = register([
  ['u1', '111222333', '2015-01-01', null],
  ['u2', '249566758', '2015-01-01', null],
  ['nobsn', null, '2015-01-01', null],
  ['zero', '010000021', '2015-01-01', null],
  ['moved', null, '2010-01-01', '2019-12-31'],
  ['moved', '683938861', '2020-01-01', null],
]);

describe('self-lookup', () => {
  it('flags lookups of the employee\'s own BSN from the user register', () => {
    testRule(selfLookup, {
      valid: [
        { name: 'a client', lookups: [{ time: '2026-04-02T10:00:00', user: 'u1', bsn: '768510338' }], reference },
        { name: "a colleague's BSN is not a self-lookup", lookups: [{ time: '2026-04-02T10:00:00', user: 'u1', bsn: '249566758' }], reference },
        { name: 'login without a BSN in the register', lookups: [{ time: '2026-04-02T10:00:00', user: 'nobsn', bsn: '111222333' }], reference },
        { name: 'login not in the register', lookups: [{ time: '2026-04-02T10:00:00', user: 'stranger', bsn: '111222333' }], reference },
        { name: 'a search without BSN', lookups: [{ time: '2026-04-02T10:00:00', user: 'u1', searchKeys: { Postcode: '5346AB' } }], reference },
      ],
      invalid: [
        {
          name: 'own BSN',
          lookups: [{ time: '2026-04-02T10:00:00', user: 'u1', bsn: '111222333' }],
          reference,
          findings: [{ messageId: 'ownBsn', user: 'u1', bsn: '111222333', count: 1, severity: 'high' }],
        },
        {
          name: 'eight-digit BSN in the log is normalised',
          lookups: [{ time: '2026-04-02T10:00:00', user: 'zero', bsn: '10000021', searchKeys: { Burgerservicenr: '10000021' } }],
          reference,
          findings: [{ messageId: 'ownBsn', bsn: '010000021' }],
        },
        {
          name: 'the BSN on another employment row of the same login',
          lookups: [{ time: '2026-04-02T10:00:00', user: 'moved', bsn: '683938861' }],
          reference,
          findings: [{ messageId: 'ownBsn', user: 'moved' }],
        },
        {
          name: 'one finding per day, with the count',
          lookups: [
            { time: '2026-04-02T10:00:00', user: 'u1', bsn: '111222333' },
            { time: '2026-04-02T10:01:00', user: 'u1', bsn: '111222333' },
            { time: '2026-04-03T09:00:00', user: 'u1', bsn: '111222333' },
          ],
          reference,
          findings: [
            { messageId: 'ownBsn', count: 2 },
            { messageId: 'ownBsn', count: 1 },
          ],
        },
      ],
    });
  });
});

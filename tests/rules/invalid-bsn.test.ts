import { describe, it } from 'vitest';
import invalidBsn from '../../rules/invalid-bsn.js';
import { testRule } from '../../src/rule-api/index.js';

describe('invalid-bsn', () => {
  it('flags numbers that fail the 11-check and test persons in production', () => {
    testRule(invalidBsn, {
      valid: [
        { name: 'a valid BSN', lookups: [{ time: '2026-04-02T10:00:00', bsn: '111222333' }] },
        { name: 'eight digits that pass after the leading zero', lookups: [{ time: '2026-04-02T10:00:00', bsn: '10000021' }] },
        { name: 'a search without BSN', lookups: [{ time: '2026-04-02T10:00:00', searchKeys: { Kenteken: '12ABC3' } }] },
        { name: 'test persons may be switched off', lookups: [{ time: '2026-04-02T10:00:00', bsn: '999998523' }], options: { reportTestBsns: false } },
      ],
      invalid: [
        {
          name: 'fails the 11-check',
          lookups: [{ time: '2026-04-02T10:00:00', user: 'u1', bsn: '111222334' }],
          findings: [{ messageId: 'invalid', user: 'u1', bsn: '111222334', severity: 'low', count: 1 }],
        },
        {
          name: "000000000 (sum 0) is not a BSN",
          lookups: [{ time: '2026-04-02T10:00:00', bsn: '000000000' }],
          findings: [{ messageId: 'invalid', bsn: '000000000' }],
        },
        {
          name: 'eight digits are judged after the leading zero',
          lookups: [{ time: '2026-04-02T10:00:00', bsn: '11222333', searchKeys: { Burgerservicenr: '11222333' } }],
          findings: [{ messageId: 'invalid', bsn: '011222333' }],
        },
        {
          name: 'a test person',
          lookups: [{ time: '2026-04-02T10:00:00', bsn: '999998523' }],
          findings: [{ messageId: 'testBsn', bsn: '999998523', severity: 'low' }],
        },
        {
          name: 'a test-range number that fails the 11-check is invalid, also when test persons are off',
          lookups: [{ time: '2026-04-02T10:00:00', bsn: '999990000' }],
          options: { reportTestBsns: false },
          findings: [{ messageId: 'invalid', bsn: '999990000' }],
        },
        {
          name: 'one finding per user, number and day',
          lookups: [
            { time: '2026-04-02T10:00:00', bsn: '111222334' },
            { time: '2026-04-02T10:00:30', bsn: '111222334' },
            { time: '2026-04-02T11:00:00', bsn: '999993653' },
          ],
          findings: [
            { messageId: 'invalid', count: 2 },
            { messageId: 'testBsn', count: 1 },
          ],
        },
      ],
    });
  });
});

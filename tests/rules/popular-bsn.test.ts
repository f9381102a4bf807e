import { describe, it } from 'vitest';
import popularBsn from '../../rules/popular-bsn.js';
import { testRule, type TestLookup } from '../../src/rule-api/index.js';

const START = Date.parse('2026-04-14T07:00:00Z');
const HOUR = 3_600_000;

/** One lookup of `bsn` by each of `users` logins (`u01`, `u02`, …), `stepHours` apart from `offsetHours` after START. */
function lookups(users: number, stepHours: number, options: { bsn?: string; offsetHours?: number; first?: number } = {}): TestLookup[] {
  return Array.from({ length: users }, (_, index) => ({
    time: START + ((options.offsetHours ?? 0) + index * stepHours) * HOUR,
    user: `u${String((options.first ?? 1) + index).padStart(2, '0')}`,
    bsn: options.bsn ?? '111222333',
    line: 1 + index + (options.offsetHours ?? 0) * 100,
  }));
}

describe('popular-bsn', () => {
  it('finds one BSN looked up by many different users within the timespan, once per burst', () => {
    testRule(popularBsn, {
      valid: [
        { name: 'nine users in a day', lookups: lookups(9, 1) },
        { name: 'ten lookups by one user', lookups: lookups(10, 1).map((lookup) => ({ ...lookup, user: 'u01' })) },
        {
          name: 'ten users, the first and the last exactly seven days apart',
          lookups: lookups(10, (7 * 24) / 9),
        },
        {
          name: 'five users each on two BSNs',
          lookups: [...lookups(5, 1), ...lookups(5, 1, { bsn: '249566758', first: 6, offsetHours: 1 })],
        },
        {
          name: 'two BSNs with the same last digits, five users each',
          lookups: [...lookups(5, 1), ...lookups(5, 1, { bsn: '123456733', first: 6, offsetHours: 1 })],
        },
        { name: 'searches without a BSN are not counted', lookups: lookups(12, 1).map((lookup) => ({ ...lookup, bsn: null })) },
      ],
      invalid: [
        {
          name: 'ten users in two days',
          lookups: lookups(10, 4),
          findings: [
            {
              messageId: 'popular',
              user: '*',
              bsn: '111222333',
              count: 10,
              data: { userCount: 10, threshold: 10, timespan: '7d', lastDate: '2026-04-15', logins: 'u01, u02, u03, u04, u05, u06, u07, u08, u09, u10' },
            },
          ],
        },
        {
          name: 'repeat lookups count as lookups, not as users; the names list is cut at twelve',
          lookups: [...lookups(14, 2), ...lookups(3, 2, { offsetHours: 1, first: 1 })],
          findings: [
            {
              messageId: 'popular',
              count: 17,
              data: { userCount: 14, logins: 'u01, u02, u03, u04, u05, u06, u07, u08, u09, u10, u11, u12, …' },
            },
          ],
        },
        {
          name: 'overlapping windows merge: another user every twelve hours for three weeks',
          lookups: lookups(42, 12),
          findings: [{ messageId: 'popular', count: 42, data: { userCount: 42, lastDate: '2026-05-04' } }],
        },
        {
          name: 'two bursts more than the timespan apart',
          lookups: [...lookups(10, 1), ...lookups(10, 1, { offsetHours: 24 * 10, first: 11 })],
          findings: [
            { messageId: 'popular', count: 10, data: { logins: 'u01, u02, u03, u04, u05, u06, u07, u08, u09, u10' } },
            { messageId: 'popular', count: 10, data: { logins: 'u11, u12, u13, u14, u15, u16, u17, u18, u19, u20' } },
          ],
        },
        {
          name: 'one of two BSNs with the same last digits',
          lookups: [...lookups(10, 1, { bsn: '123456733' }), ...lookups(5, 1, { first: 11, offsetHours: 2 })],
          findings: [{ messageId: 'popular', bsn: '123456733', count: 10, data: { userCount: 10 } }],
        },
        {
          name: 'lines out of time order are sorted first',
          lookups: lookups(10, 3).reverse(),
          findings: [{ messageId: 'popular', count: 10, data: { logins: 'u01, u02, u03, u04, u05, u06, u07, u08, u09, u10' } }],
        },
        {
          name: 'options in Sigma words: three users within one hour',
          lookups: [...lookups(3, 0.25), ...lookups(3, 2, { bsn: '249566758' })],
          options: { distinctUsers: 3, timespan: '1h' },
          findings: [{ messageId: 'popular', bsn: '111222333', count: 3, data: { threshold: 3, timespan: '1h' } }],
        },
      ],
    });
  });
});

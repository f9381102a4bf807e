import { describe, it } from 'vitest';
import watchlist from '../../rules/watchlist.js';
import { testRule, type ReferenceData } from '../../src/rule-api/index.js';

const reference: ReferenceData = {
  watchlist: new Map([
    ['111222333', 'Bekende Nederlander (tv-presentator)'],
    ['010000021', 'Wethouder sociaal domein'],
  ]),
};

describe('watchlist', () => {
  it('flags every lookup of a listed BSN, with its label', () => {
    testRule(watchlist, {
      valid: [
        { name: 'a BSN not on the list', lookups: [{ time: '2026-04-02T10:00:00', bsn: '249566758' }], reference },
        { name: 'a search without BSN', lookups: [{ time: '2026-04-02T10:00:00' }], reference },
      ],
      invalid: [
        {
          name: 'a listed BSN',
          lookups: [{ time: '2026-04-02T10:00:00', user: 'u1', bsn: '111222333' }],
          reference,
          findings: [
            { messageId: 'listed', user: 'u1', bsn: '111222333', severity: 'high', data: { label: 'Bekende Nederlander (tv-presentator)' } },
          ],
        },
        {
          name: 'eight-digit BSN in the log is normalised',
          lookups: [{ time: '2026-04-02T10:00:00', bsn: '10000021', searchKeys: { Burgerservicenr: '10000021' } }],
          reference,
          findings: [{ messageId: 'listed', bsn: '010000021', data: { label: 'Wethouder sociaal domein' } }],
        },
        {
          name: 'one finding per user, citizen and day',
          lookups: [
            { time: '2026-04-02T10:00:00', user: 'u1', bsn: '111222333' },
            { time: '2026-04-02T10:03:00', user: 'u1', bsn: '111222333' },
            { time: '2026-04-02T11:00:00', user: 'u2', bsn: '111222333' },
          ],
          reference,
          findings: [
            { messageId: 'listed', user: 'u1', count: 2 },
            { messageId: 'listed', user: 'u2', count: 1 },
          ],
        },
      ],
    });
  });
});

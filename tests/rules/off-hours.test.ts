import { describe, it } from 'vitest';
import offHours from '../../rules/off-hours.js';
import { testRule } from '../../src/rule-api/index.js';

describe('off-hours', () => {
  it('flags evenings, nights, weekends and public holidays, and nothing in office hours', () => {
    testRule(offHours, {
      valid: [
        { name: 'office hours on a Monday', lookups: [{ time: '2026-03-30T08:00:00', bsn: '111222333' }] },
        { name: '18:40 on 30 March 2026 (summer time)', lookups: [{ time: '2026-03-30T18:40:00', bsn: '111222333' }] },
        { name: 'exactly 06:00', lookups: [{ time: '2026-03-31T06:00:00' }] },
        { name: '18:59:59.999', lookups: [{ time: '2026-03-31T18:59:59.999' }] },
        { name: 'Good Friday is a working day', lookups: [{ time: '2026-04-03T10:00:00' }] },
        {
          name: 'a removed holiday is a working day',
          lookups: [{ time: '2026-04-27T10:00:00' }],
          options: { holidays: false },
        },
        {
          name: 'a wider day',
          lookups: [{ time: '2026-03-31T20:30:00' }],
          options: { dayEnd: '21:00' },
        },
        {
          name: 'Saturday as working day',
          lookups: [{ time: '2026-03-28T10:00:00' }],
          options: { workingDays: [1, 2, 3, 4, 5, 6] },
        },
      ],
      invalid: [
        {
          name: '19:05 on 30 March 2026 is 17:05 UTC and off-hours',
          lookups: [{ time: '2026-03-30T17:05:00Z', bsn: '111222333' }],
          findings: [{ messageId: 'outsideHours', bsn: '111222333', count: 1, data: { dayStart: '06:00', dayEnd: '19:00' } }],
        },
        {
          name: '19:00 itself',
          lookups: [{ time: '2026-03-31T19:00:00' }],
          findings: [{ messageId: 'outsideHours' }],
        },
        {
          name: 'early morning',
          lookups: [{ time: '2026-03-31T05:59:59.999', bsn: '111222333' }],
          findings: [{ messageId: 'outsideHours' }],
        },
        {
          name: 'Saturday',
          lookups: [{ time: '2026-03-07T11:02:08' }],
          findings: [{ messageId: 'nonWorkingDay', data: { weekday: 'zaterdag' } }],
        },
        {
          name: 'Easter Monday',
          lookups: [{ time: '2026-04-06T10:14:03', bsn: '768510338' }],
          findings: [{ messageId: 'holiday', data: { holiday: 'Tweede paasdag' } }],
        },
        {
          name: 'Koningsdag moves to 26 April when the 27th is a Sunday',
          lookups: [{ time: '2025-04-26T11:00:00' }],
          findings: [{ messageId: 'holiday', data: { holiday: 'Koningsdag' } }],
        },
        {
          name: 'one finding per user, citizen and day, with the count',
          lookups: [
            { time: '2026-03-31T20:00:00', bsn: '111222333' },
            { time: '2026-03-31T05:00:00', bsn: '111222333' },
            { time: '2026-03-31T21:00:00', bsn: '249566758' },
            { time: '2026-04-01T20:00:00', bsn: '111222333' },
          ],
          findings: [
            { messageId: 'outsideHours', bsn: '111222333', count: 2 },
            { messageId: 'outsideHours', bsn: '249566758', count: 1 },
            { messageId: 'outsideHours', bsn: '111222333', count: 1 },
          ],
        },
        {
          name: 'a local day runs to local midnight, not UTC midnight',
          lookups: [
            { time: '2026-03-31T23:50:00', bsn: '111222333' },
            { time: '2026-04-01T00:10:00', bsn: '111222333' },
          ],
          findings: [
            { messageId: 'outsideHours', count: 1 },
            { messageId: 'outsideHours', count: 1 },
          ],
        },
        {
          name: 'a shorter day',
          lookups: [{ time: '2026-03-31T18:00:00' }],
          options: { dayEnd: '17:30' },
          findings: [{ messageId: 'outsideHours', data: { dayEnd: '17:30' } }],
        },
      ],
    });
  });

  it('takes added holidays and removed ones from the calendar settings', () => {
    testRule(
      offHours,
      {
        valid: [{ name: 'Tweede Kerstdag removed (a Friday in 2025)', lookups: [{ time: '2025-12-26T10:00:00' }] }],
        invalid: [
          {
            lookups: [{ time: '2026-05-05T10:00:00' }],
            findings: [{ messageId: 'holiday', data: { holiday: 'Bevrijdingsdag' } }],
          },
        ],
      },
      { holidays: { add: ['05-05=Bevrijdingsdag'], remove: ['12-26'] } },
    );
  });
});

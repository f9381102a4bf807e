import { describe, it } from 'vitest';
import noCaseLink from '../../rules/no-case-link.js';
import { testRule, type CasePeriod, type ReferenceData } from '../../src/rule-api/index.js';
import { parseDay } from '../../src/time/civil.js';

function caseload(entries: Array<[string, string, string | null, string?]>): ReferenceData {
  const cases = new Map<string, CasePeriod[]>();
  for (const [bsn, start, end, caseId] of entries) {
    const list = cases.get(bsn) ?? [];
    list.push({ caseId: caseId ?? null, team: null, worker: null, start: parseDay(start)!, end: end === null ? null : parseDay(end) });
    cases.set(bsn, list);
  }
  return { cases };
}

const reference = caseload([
  ['111222333', '2026-03-01', null, 'Z-1'],
  ['249566758', '2025-01-01', '2025-12-31', 'Z-2'],
  ['683938861', '2026-05-01', '2026-06-30', 'Z-3'],
  ['111111110', '2024-01-01', '2024-02-01', 'Z-4'],
  ['111111110', '2026-04-20', null, 'Z-5'],
  // Three periods: the first is kept beside the BSN in the index, the others in a chain behind it.
  ['123456782', '2020-01-01', '2020-02-01', 'Z-6'],
  ['123456782', '2026-06-01', '2026-06-05', 'Z-7'],
  ['123456782', '2022-01-01', '2022-02-01', 'Z-8'],
]);

describe('no-case-link', () => {
  it('flags lookups of BSNs without a case covering the local date, with intake and after-care margins', () => {
    testRule(noCaseLink, {
      valid: [
        { name: 'open case', lookups: [{ time: '2026-04-02T10:00:00', bsn: '111222333' }], reference },
        { name: '90 days after the end', lookups: [{ time: '2026-03-31T10:00:00', bsn: '249566758' }], reference },
        { name: '30 days before the start', lookups: [{ time: '2026-04-01T10:00:00', bsn: '683938861' }], reference },
        { name: 'second case of the same BSN covers it', lookups: [{ time: '2026-04-10T10:00:00', bsn: '111111110' }], reference },
        { name: 'the middle one of three cases covers it', lookups: [{ time: '2026-06-03T10:00:00', bsn: '123456782' }], reference },
        { name: 'a search without BSN is not judged', lookups: [{ time: '2026-04-02T10:00:00' }], reference },
        {
          name: 'wider margins',
          lookups: [{ time: '2026-04-15T10:00:00', bsn: '249566758' }],
          options: { graceAfterDays: 120 },
          reference,
        },
        {
          name: 'eight-digit BSN is normalised before the caseload is asked',
          lookups: [{ time: '2026-04-02T10:00:00', bsn: '111222333', searchKeys: { Burgerservicenr: '111222333' } }],
          reference,
        },
      ],
      invalid: [
        {
          name: 'unknown BSN',
          lookups: [{ time: '2026-04-02T10:00:00', bsn: '768510338', user: 'u1' }],
          reference,
          findings: [{ messageId: 'noCase', user: 'u1', bsn: '768510338', count: 1, severity: 'medium' }],
        },
        {
          name: '91 days after the end',
          lookups: [{ time: '2026-04-01T10:00:00', bsn: '249566758' }],
          reference,
          findings: [
            {
              messageId: 'outsidePeriod',
              data: { caseId: 'Z-2', caseStart: '2025-01-01', caseEnd: '2025-12-31' },
            },
          ],
        },
        {
          name: '31 days before the start',
          lookups: [{ time: '2026-03-31T10:00:00', bsn: '683938861' }],
          reference,
          findings: [{ messageId: 'outsidePeriod', data: { caseId: 'Z-3', caseEnd: '2026-06-30' } }],
        },
        {
          name: 'the local date counts: 00:30 local on 1 April is still 31 March in UTC',
          lookups: [{ time: '2026-04-01T00:30:00+02:00', bsn: '249566758' }],
          reference,
          findings: [{ messageId: 'outsidePeriod' }],
        },
        {
          name: 'none of three cases covers it: the nearest is named',
          lookups: [{ time: '2026-12-01T10:00:00', bsn: '123456782' }],
          reference,
          findings: [{ messageId: 'outsidePeriod', data: { caseId: 'Z-7', caseEnd: '2026-06-05' } }],
        },
        {
          name: 'nearest case named when several exist',
          lookups: [{ time: '2026-03-01T10:00:00', bsn: '111111110' }],
          reference,
          findings: [{ messageId: 'outsidePeriod', data: { caseId: 'Z-5', caseEnd: 'open' } }],
        },
        {
          name: 'one finding per user, BSN and day',
          lookups: [
            { time: '2026-04-02T10:00:00', bsn: '768510338', user: 'u1' },
            { time: '2026-04-02T11:00:00', bsn: '768510338', user: 'u1' },
            { time: '2026-04-02T11:30:00', bsn: '768510338', user: 'u2' },
            { time: '2026-04-03T09:00:00', bsn: '768510338', user: 'u1' },
          ],
          reference,
          findings: [
            { messageId: 'noCase', user: 'u1', count: 2 },
            { messageId: 'noCase', user: 'u2', count: 1 },
            { messageId: 'noCase', user: 'u1', count: 1 },
          ],
        },
        {
          name: 'narrower margins',
          lookups: [{ time: '2026-04-10T10:00:00', bsn: '683938861' }],
          options: { graceBeforeDays: 7 },
          reference,
          findings: [{ messageId: 'outsidePeriod' }],
        },
      ],
    });
  });
});

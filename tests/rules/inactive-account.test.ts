import { describe, expect, it } from 'vitest';
import inactiveAccount from '../../rules/inactive-account.js';
import { EVIDENCE_LIMIT, testRule, type Lookup, type ReferenceData, type RegisteredUser, type WindowFinding } from '../../src/rule-api/index.js';
import { planRules } from '../../src/rule-api/runner.js';
import { Calendar } from '../../src/time/calendar.js';
import { parseDay } from '../../src/time/civil.js';

function register(entries: Array<[string, string | null, string | null]>): ReferenceData {
  const users = new Map<string, RegisteredUser[]>();
  for (const [login, start, end] of entries) {
    const rows = users.get(login) ?? [];
    rows.push({
      login,
      name: null,
      team: null,
      roles: [],
      start: start === null ? null : parseDay(start),
      end: end === null ? null : parseDay(end),
      bsn: null,
    });
    users.set(login, rows);
  }
  return { users };
}

const reference = register([
  ['active', '2015-01-01', null],
  ['leaver', '2015-01-01', '2026-04-10'],
  ['starter', '2026-04-13', null],
  // Left, and came back: two employment periods.
  ['returner', '2015-01-01', '2025-12-31'],
  ['returner', '2026-04-15', null],
  ['nostart', null, '2026-03-31'],
]);

describe('inactive-account', () => {
  it('reports unknown accounts and lookups outside the employment periods, once per account, kind and month', () => {
    testRule(inactiveAccount, {
      valid: [
        { name: 'an active account', lookups: [{ time: '2026-04-02T10:00:00', user: 'active', bsn: '111222333' }], reference },
        {
          name: 'the last day counts in full, local time',
          lookups: [{ time: '2026-04-10T23:30:00', user: 'leaver', bsn: '111222333' }],
          reference,
        },
        { name: 'the first day counts', lookups: [{ time: '2026-04-13T08:00:00', user: 'starter' }], reference },
        { name: 'inside the second period', lookups: [{ time: '2026-04-20T10:00:00', user: 'returner' }], reference },
        { name: 'inside the first period', lookups: [{ time: '2025-06-02T10:00:00', user: 'returner' }], reference },
        { name: 'no start date means employed since ever', lookups: [{ time: '2020-01-06T10:00:00', user: 'nostart' }], reference },
      ],
      invalid: [
        {
          name: 'an unknown login: one finding for the month, whatever the BSNs and days',
          lookups: [
            { time: '2026-04-21T10:00:00', user: 'ghost', bsn: '111222333' },
            { time: '2026-04-21T10:05:00', user: 'ghost', bsn: '249566758' },
            { time: '2026-04-23T09:00:00', user: 'ghost', bsn: '111222333' },
            { time: '2026-04-23T09:01:00', user: 'ghost' },
          ],
          reference,
          findings: [
            { messageId: 'unknown', user: 'ghost', bsn: null, count: 4, severity: 'high', data: { period: 'april 2026', distinctBsns: 2 } },
          ],
        },
        {
          name: 'after the end date, from local midnight on',
          lookups: [{ time: '2026-04-10T22:30:00Z', user: 'leaver', bsn: '111222333' }],
          reference,
          findings: [{ messageId: 'afterEnd', user: 'leaver', bsn: null, count: 1, data: { endDate: '2026-04-10', period: 'april 2026' } }],
        },
        {
          name: 'before the start date',
          lookups: [{ time: '2026-04-10T10:00:00', user: 'starter', bsn: '111222333' }],
          reference,
          findings: [{ messageId: 'beforeStart', data: { startDate: '2026-04-13', distinctBsns: 1 } }],
        },
        {
          name: 'between two periods counts as after the end of the first',
          lookups: [{ time: '2026-04-14T10:00:00', user: 'returner' }],
          reference,
          findings: [{ messageId: 'afterEnd', data: { endDate: '2025-12-31', distinctBsns: 0 } }],
        },
        {
          name: 'an open start and a closed end',
          lookups: [{ time: '2026-04-01T08:00:00', user: 'nostart' }],
          reference,
          findings: [{ messageId: 'afterEnd', data: { endDate: '2026-03-31' } }],
        },
        {
          name: 'one finding per calendar month in local time, lines out of order',
          lookups: [
            { time: '2026-05-01T00:30:00', user: 'leaver', bsn: '111222333' },
            { time: '2026-04-30T23:30:00', user: 'leaver', bsn: '111222333' },
            { time: '2026-04-14T10:00:00', user: 'leaver', bsn: '249566758' },
          ],
          reference,
          findings: [
            { messageId: 'afterEnd', count: 2, data: { period: 'april 2026', distinctBsns: 2 } },
            { messageId: 'afterEnd', count: 1, data: { period: 'mei 2026' } },
          ],
        },
        {
          // Found by the hardening properties: a NUL in a login (a JSON escape, a CSV cell) broke the window key.
          name: 'a login holding a NUL, as a mapped layout may deliver',
          lookups: [{ time: '2026-04-21T10:00:00', user: 'gh\u0000ost', bsn: '111222333' }],
          reference,
          findings: [{ messageId: 'unknown', user: 'gh\u0000ost', count: 1, data: { period: 'april 2026' } }],
        },
        {
          name: 'one finding per account',
          lookups: [
            { time: '2026-04-21T10:00:00', user: 'ghost', bsn: '111222333' },
            { time: '2026-04-21T10:00:00', user: 'leaver', bsn: '111222333' },
            { time: '2026-04-21T10:01:00', user: 'active', bsn: '111222333' },
          ],
          reference,
          findings: [
            { messageId: 'unknown', user: 'ghost' },
            { messageId: 'afterEnd', user: 'leaver' },
          ],
        },
      ],
    });
  });
});

describe('inactive-account on a register that knows none of the logins', () => {
  it(`builds the first ${EVIDENCE_LIMIT} evidence lines of an account, not one per lookup, and counts its BSNs`, () => {
    const calendar = new Calendar({ timezone: 'Europe/Amsterdam' });
    const window = planRules([inactiveAccount], { reference, calendar }).active[0]!.hooks.window!;
    const state = window.init();
    const start = Date.parse('2026-04-21T08:00:00Z');
    // 250 lookups, latest first, every fifth without a BSN, the BSNs taking turns among three.
    const bsns = ['111222333', '249566758', '000000000'];
    for (let index = 0; index < 250; index++) {
      const lookup = { time: start + (250 - index) * 1000, user: 'ghost', bsn: index % 5 === 0 ? null : bsns[index % 3]!, source: 0, line: index + 1 };
      window.add(state, lookup as unknown as Lookup);
    }
    const found: WindowFinding[] = [];
    window.finish(JSON.stringify(['ghost', 'unknown', '2026-04']), structuredClone(state), (finding) => found.push(finding));
    expect(found).toHaveLength(1);
    expect(found[0]!.count).toBe(250);
    expect(found[0]!.evidenceTotal).toBe(250);
    expect(found[0]!.evidence).toHaveLength(EVIDENCE_LIMIT);
    // The earliest lookup is the last one added.
    expect(found[0]!.evidence[0]).toEqual({ source: 0, line: 250 });
    expect(found[0]!.data).toMatchObject({ distinctBsns: 3 });
  });
});

/**
 * One notion of an employee's team: the register row valid when the lookups were made (else the latest).
 * Worklists, suppressions and the report use it, so a finding is filed under the same team everywhere.
 */
import { describe, expect, it } from 'vitest';
import { applySuppressions } from '../../src/output/suppressions.js';
import { buildWorklists } from '../../src/output/worklists.js';
import { registerRowFor } from '../../src/rule-api/register.js';
import type { Finding, RegisteredUser } from '../../src/rule-api/types.js';
import { parseDay } from '../../src/time/civil.js';

const day = (text: string) => parseDay(text)!;
const row = (team: string, start: string | null, end: string | null): RegisteredUser => ({
  login: 'u1',
  name: `Mira (${team})`,
  team,
  roles: [],
  start: start === null ? null : day(start),
  end: end === null ? null : day(end),
  bsn: null,
});
// Mira moved from Inkomen to Handhaving on 15 April 2026.
const MIRA = [row('Handhaving', '2026-04-15', null), row('Inkomen', '2020-01-01', '2026-04-14')];
const users = new Map([['u1', MIRA]]);

function finding(id: string, from: string): Finding {
  return {
    id, rule: 'off-hours', severity: 'low', user: 'u1', bsn: null, page: null, from, to: from, count: 1,
    message: 'm', evidence: [{ file: 'a.log', line: 1 }], evidenceTotal: 1,
  };
}

describe('registerRowFor', () => {
  const cases: Array<[string, readonly RegisteredUser[] | undefined, number | undefined, string | null]> = [
    ['the row valid on the day', MIRA, day('2026-04-10'), 'Inkomen'],
    ['the row valid on the day of the change', MIRA, day('2026-04-15'), 'Handhaving'],
    ['the latest row after every period (a departed account)', [row('Inkomen', '2020-01-01', '2025-12-31')], day('2026-04-10'), 'Inkomen'],
    ['the latest row without a day', MIRA, undefined, 'Handhaving'],
    ['nothing for an unknown login', undefined, day('2026-04-10'), null],
  ];
  for (const [what, rows, on, team] of cases) it(`gives ${what}`, () => expect(registerRowFor(rows, on)?.team ?? null).toBe(team));
});

describe('a finding is filed under the team of its day', () => {
  const before = finding('f-before', '2026-04-10T21:00:00+02:00');
  const after = finding('f-after', '2026-04-20T21:00:00+02:00');

  it('in the worklists', () => {
    const lists = new Map(
      [...buildWorklists([before, after], { users, titles: new Map(), bsn: 'masked', delimiter: ';' })].map(([name, rows]) => [name, [...rows].join('')]),
    );
    expect([...lists.keys()]).toEqual(['handhaving.csv', 'inkomen.csv']);
    expect(lists.get('inkomen.csv')).toContain('f-before');
    expect(lists.get('inkomen.csv')).toContain('Mira (Inkomen)');
    expect(lists.get('inkomen.csv')).not.toContain('f-after');
    expect(lists.get('handhaving.csv')).toContain('f-after');
  });

  it('in the suppressions', () => {
    const outcome = applySuppressions([before, after], [{ team: 'Inkomen', reason: 'avonddienst Inkomen', until: '2026-12-31' }], {
      today: '2026-05-01',
      users,
    });
    expect(outcome.suppressed.map(({ finding: item }) => item.id)).toEqual(['f-before']);
    expect(outcome.kept.map((item) => item.id)).toEqual(['f-after']);
  });
});

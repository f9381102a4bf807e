/** Declarative rules: the spec checks, every `where` operator, and both count types through testRule. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { compileDeclarativeRule, type DeclarativeRuleSpec, type DeclarativeWhere } from '../../src/rule-api/declarative.js';
import { testRule, type ReferenceData, type RegisteredUser, type TestLookup } from '../../src/rule-api/index.js';
import { planRules } from '../../src/rule-api/runner.js';
import { Calendar } from '../../src/time/calendar.js';
import { parseDay } from '../../src/time/civil.js';

const PATH = 'config.declarativeRules.0';

function rule(spec: Partial<DeclarativeRuleSpec>) {
  return compileDeclarativeRule({ id: 'eigen-regel', title: 'Eigen regel', severity: 'medium', ...spec } as DeclarativeRuleSpec, PATH);
}

/** Each lookup on its own: those in `matching` must be a finding, those in `other` must not. */
function expectSelection(where: DeclarativeWhere, matching: TestLookup[], other: TestLookup[], reference?: ReferenceData): void {
  testRule(rule({ where }), {
    valid: other.map((lookup) => ({ lookups: [lookup], reference })),
    invalid: matching.map((lookup) => ({ lookups: [lookup], reference, findings: [{ messageId: 'match' }] })),
  });
}

/** A user register with teams: rows of login, team, start and end date (`YYYY-MM-DD`, null = open). */
function teams(rows: Array<[login: string, team: string | null, start: string | null, end: string | null]>): ReferenceData {
  const users = new Map<string, RegisteredUser[]>();
  for (const [login, team, start, end] of rows) {
    const row = { login, name: null, team, roles: [], start: start === null ? null : parseDay(start), end: end === null ? null : parseDay(end), bsn: null };
    users.set(login, [...(users.get(login) ?? []), row]);
  }
  return { users };
}

const at = (time: string, fields: Omit<TestLookup, 'time'> = {}): TestLookup => ({ time, ...fields });

describe('declarative rule specs', () => {
  const invalid: Array<[what: string, spec: Record<string, unknown>, message: string]> = [
    ['an id that is not kebab-case', { id: 'Eigen_Regel' }, `${PATH}.id: must match pattern`],
    ['an unknown severity', { severity: 'huge' }, `${PATH}.severity: must be one of "info", "low", "medium", "high", "critical"`],
    ['no title', { title: undefined }, `${PATH}: must have required property 'title'`],
    ['an unknown key', { colour: 'red' }, `${PATH}.colour: unknown key (allowed: id, title, severity, description, basis, where, count)`],
    ['an unknown field', { where: { colour: 'red' } }, `${PATH}.where.colour: unknown key (allowed: user, userName, page, bsn,`],
    ['an unknown operator', { where: { page: { inn: ['x'] } } }, `${PATH}.where.page.inn: unknown key (allowed: in, regex, not)`],
    ['a number as value', { where: { page: 5 } }, `${PATH}.where.page: must be string,null,object`],
    ['an empty condition', { where: { page: {} } }, `${PATH}.where.page: must NOT have fewer than 1 properties`],
    ['a list without in', { where: { page: ['a', 'b'] } }, `${PATH}.where.page: must be string,null,object`],
    ['a bad regular expression', { where: { page: { regex: 'rdw-(' } } }, `${PATH}.where.page.regex: not a regular expression: Invalid regular expression`],
    ['a bad regular expression inside not', { where: { user: { not: { regex: '[' } } } }, `${PATH}.where.user.not.regex: not a regular expression`],
    ['a double negation', { where: { page: { not: { not: 'x' } } } }, `${PATH}.where.page.not.not: unknown key (allowed: in, regex)`],
    ['an empty time range', { where: { time: { from: '18:00', to: '18:00' } } }, `${PATH}.where.time: from and to are the same time`],
    ['an impossible clock time', { where: { time: { from: '25:00', to: '07:00' } } }, `${PATH}.where.time.from: must match pattern`],
    ['a weekday 8', { where: { weekday: [6, 8] } }, `${PATH}.where.weekday.1: must be <= 7`],
    ['a count without threshold', { count: { type: 'event_count', timespan: '1h' } }, `${PATH}.count: give the threshold as gte (at least) or as gt (more than)`],
    ['a count with two thresholds', { count: { type: 'event_count', timespan: '1h', gte: 3, gt: 2 } }, `${PATH}.count: give the threshold`],
    ['value_count without field', { count: { type: 'value_count', timespan: '1h', gte: 3 } }, `${PATH}.count: value_count needs field`],
    ['event_count with field', { count: { type: 'event_count', field: 'bsn', timespan: '1h', gte: 3 } }, `${PATH}.count.field: only value_count counts a field`],
    ['a counted field that is also grouped by', { count: { type: 'value_count', field: 'bsn', groupBy: ['bsn'], timespan: '1h', gte: 3 } }, `${PATH}.count.field: 'bsn' is also in groupBy`],
    ['a list field in groupBy', { count: { type: 'event_count', groupBy: ['roles'], timespan: '1h', gte: 3 } }, `${PATH}.count.groupBy.0: must be one of "user", "userName", "page", "bsn"`],
    ['a timespan that is not Sigma', { count: { type: 'event_count', timespan: '1 week', gte: 3 } }, `${PATH}.count.timespan: must match pattern`],
    ['an unknown count key', { count: { type: 'event_count', timespan: '1h', gte: 3, window: 'sliding' } }, `${PATH}.count.window: unknown key`],
    ['a threshold of 0', { count: { type: 'event_count', timespan: '1h', gte: 0 } }, `${PATH}.count.gte: must be >= 1`],
  ];
  it.each(invalid)('refuses %s, naming the key path', (_, spec, message) => {
    expect(() => rule(spec as Partial<DeclarativeRuleSpec>)).toThrow(ConfigError);
    expect(() => rule(spec as Partial<DeclarativeRuleSpec>)).toThrow(message);
  });

  it('compiles into an ordinary rule: metadata, a description in words, the users register when team is used, count settings as options', () => {
    const plain = rule({ where: { page: 'rdw-zoek' }, basis: 'besluit MT' });
    expect(plain.meta).toMatchObject({
      id: 'eigen-regel',
      title: 'Eigen regel',
      severity: 'medium',
      basis: { kind: 'heuristic', reference: 'besluit MT' },
      description: 'Declarative rule: lookups where page is "rdw-zoek"; each is a finding.',
      requires: [],
      options: { defaults: {} },
    });
    const counted = rule({
      description: 'Veel personen per team',
      where: { team: { in: ['inkomen'] }, time: { from: '18:00', to: '07:00' } },
      count: { type: 'value_count', field: 'bsn', groupBy: ['team'], timespan: '1d', gt: 19 },
    });
    expect(counted.meta).toMatchObject({ description: 'Veel personen per team', requires: ['users'], options: { defaults: { timespan: '1d', gt: 19 } } });
    expect(rule({ count: { type: 'event_count', groupBy: ['user'], timespan: '30m', gte: 5 } }).meta.description).toBe(
      'Declarative rule: every lookup; a finding when at least 5 lookups per user within 30m (event_count).',
    );
    expect(rule({ where: { team: { not: 'handhaving' }, page: { in: ['a', 'b'], not: { regex: 'x' } }, escapeReason: { not: null }, weekday: [6, 7] } }).meta.description).toBe(
      'Declarative rule: lookups where team is not "handhaving" and page is in ["a","b"] and does not match /x/ and escapeReason is not none and weekday in 6,7; each is a finding.',
    );
  });
});

describe('declarative where', () => {
  const T = '2026-04-02T10:00:00';

  it('compares a value by equality; null means none', () => {
    expectSelection({ page: 'rdw-zoek' }, [at(T, { page: 'rdw-zoek' })], [at(T, { page: 'gba-zoek' }), at(T, { page: null }), at(T, { page: 'RDW-zoek' })]);
    expectSelection({ escapeReason: null }, [at(T)], [at(T, { escapeReason: 'Anders' })]);
    expectSelection({ escapeReason: { not: null } }, [at(T, { escapeReason: 'Anders' }), at(T, { escapeReason: 'TOZO' })], [at(T)]);
    expectSelection({ bsn: '111222333' }, [at(T, { bsn: '111222333' })], [at(T, { bsn: '249566758' }), at(T)]);
  });

  it('in: any of the values, null included', () => {
    expectSelection({ page: { in: ['rdw-zoek', null] } }, [at(T, { page: 'rdw-zoek' }), at(T, { page: null })], [at(T, { page: 'gba-zoek' })]);
    expectSelection({ page: { not: { in: ['rdw-zoek', 'gba-zoek'] } } }, [at(T, { page: 'uwv-polis' }), at(T, { page: null })], [at(T, { page: 'gba-zoek' })]);
  });

  it('regex: found anywhere in the value unless anchored; never on none; operators in one object must all hold', () => {
    expectSelection({ page: { regex: 'rdw' } }, [at(T, { page: 'rdw-zoek' }), at(T, { page: 'zoek-rdw' })], [at(T, { page: 'gba-zoek' }), at(T, { page: null })]);
    expectSelection({ user: { regex: '^0057_' } }, [at(T, { user: '0057_gsd_voorbeeld_mb' })], [at(T, { user: 'x0057_gsd' })]);
    expectSelection(
      { page: { regex: '^rdw-', not: 'rdw-zoek' } },
      [at(T, { page: 'rdw-kenteken' })],
      [at(T, { page: 'rdw-zoek' }), at(T, { page: 'gba-zoek' })],
    );
    expectSelection({ user: { not: { regex: '_wgs_' } } }, [at(T, { user: '0057_gsd_x' })], [at(T, { user: '0118_wgs_x' })]);
  });

  it('roles and searchKeys are lists: a condition holds for any item, not for all; null means an empty list', () => {
    expectSelection({ roles: 'R1' }, [at(T, { roles: ['BASIS_GSD', 'R1'] })], [at(T, { roles: ['BASIS_GSD'] }), at(T, { roles: [] })]);
    expectSelection({ roles: { not: 'R1' } }, [at(T, { roles: ['BASIS_GSD'] }), at(T, { roles: [] })], [at(T, { roles: ['R1', 'BASIS_GSD'] })]);
    expectSelection({ roles: { regex: '^FR' } }, [at(T, { roles: ['R1', 'FR0999001'] })], [at(T, { roles: ['R1'] })]);
    expectSelection({ roles: null }, [at(T, { roles: [] })], [at(T, { roles: ['R1'] })]);
    expectSelection(
      { searchKeys: { in: ['Kenteken', 'Postcode'] } },
      [at(T, { searchKeys: { Kenteken: '12ABC3' } }), at(T, { searchKeys: { Postcode: '5346AB', Huisnummer: '4' } })],
      [at(T, { bsn: '111222333' }), at(T, { searchKeys: {} })],
    );
  });

  it('team: of the register row valid on the lookup\'s local date; none for an unknown login or outside every employment', () => {
    const reference = teams([
      ['u1', 'inkomen', '2026-01-01', '2026-03-31'],
      ['u1', 'handhaving', '2026-04-01', null],
      ['u2', null, null, null],
    ]);
    expectSelection(
      { team: 'handhaving' },
      [at('2026-04-01T00:30:00', { user: 'u1' })],
      [at('2026-03-31T23:30:00', { user: 'u1' }), at(T, { user: 'u2' }), at(T, { user: 'u3' })],
      reference,
    );
    expectSelection(
      { team: null },
      [at(T, { user: 'u2' }), at(T, { user: 'u3' }), at('2025-12-31T12:00:00', { user: 'u1' })],
      [at('2026-03-31T12:00:00', { user: 'u1' })],
      reference,
    );
    const skipped = planRules([rule({ where: { team: 'inkomen' } })], { reference: {}, calendar: new Calendar({ timezone: 'Europe/Amsterdam' }) });
    expect(skipped.skipped).toEqual([{ id: 'eigen-regel', reason: 'needs --users (user register)' }]);
  });

  it('time, weekday and holiday on the local calendar; a time range may pass midnight', () => {
    expectSelection(
      { time: { from: '18:00', to: '07:00' } },
      [at('2026-04-02T18:00:00'), at('2026-04-02T23:59:00'), at('2026-04-03T06:59:00'), at('2026-03-29T03:30:00')],
      [at('2026-04-02T07:00:00'), at('2026-04-02T17:59:00')],
    );
    expectSelection({ time: { from: '12:00', to: '13:00' } }, [at('2026-04-02T12:00:00'), at('2026-04-02T12:59:00')], [at('2026-04-02T13:00:00'), at('2026-04-02T11:59:00')]);
    // 2026-04-04 is a Saturday, 2026-04-06 Easter Monday (Tweede Paasdag).
    expectSelection({ weekday: [6, 7] }, [at('2026-04-04T10:00:00'), at('2026-04-05T23:30:00')], [at('2026-04-06T10:00:00')]);
    expectSelection({ holiday: true }, [at('2026-04-06T10:00:00')], [at('2026-04-07T10:00:00')]);
    expectSelection({ holiday: false }, [at('2026-04-07T10:00:00')], [at('2026-04-06T10:00:00')]);
  });

  it('several fields must all hold; no where selects every lookup', () => {
    expectSelection(
      { page: 'rdw-zoek', user: 'u1', weekday: [4] },
      [at(T, { page: 'rdw-zoek', user: 'u1' })],
      [at(T, { page: 'rdw-zoek', user: 'u2' }), at(T, { page: 'gba-zoek', user: 'u1' }), at('2026-04-03T10:00:00', { page: 'rdw-zoek', user: 'u1' })],
    );
    expectSelection({}, [at(T), at('2026-04-04T03:00:00', { page: 'x' })], []);
  });

  it('groups as per-lookup rules do: one finding per user, citizen and day, with the page its lookups share', () => {
    testRule(rule({ where: { page: { regex: '-zoek$' } } }), {
      valid: [],
      invalid: [
        {
          name: 'two pages',
          lookups: [at(T, { page: 'rdw-zoek', bsn: '111222333' }), at('2026-04-02T11:00:00', { page: 'gba-zoek', bsn: '111222333' })],
          findings: [{ messageId: 'match', count: 2, bsn: '111222333', page: null, data: { title: 'Eigen regel' } }],
        },
        {
          name: 'one page, two days',
          lookups: [at(T, { page: 'rdw-zoek' }), at('2026-04-02T11:00:00', { page: 'rdw-zoek' }), at('2026-04-03T09:00:00', { page: 'rdw-zoek' })],
          findings: [
            { messageId: 'match', count: 2, page: 'rdw-zoek' },
            { messageId: 'match', count: 1, page: 'rdw-zoek' },
          ],
        },
      ],
    });
  });
});

describe('declarative count', () => {
  const minutes = (offsets: number[], fields: (index: number) => Omit<TestLookup, 'time'> = () => ({})): TestLookup[] =>
    offsets.map((offset, index) => ({ time: Date.parse('2026-04-02T08:00:00Z') + offset * 60_000, line: index + 1, ...fields(index) }));
  const perUser = rule({ where: { page: 'gba-zoek' }, count: { type: 'event_count', groupBy: ['user'], timespan: '1h', gte: 3 } });
  const gba = { page: 'gba-zoek' };

  it('event_count: lookups per group within a sliding timespan; overlapping windows form one burst', () => {
    testRule(perUser, {
      valid: [
        { name: 'the third is one timespan after the first', lookups: minutes([0, 30, 60], () => gba) },
        { name: 'two users, two each', lookups: minutes([0, 10, 20, 30], (i) => ({ ...gba, user: `u${i % 2}` })) },
        { name: 'other pages are not selected', lookups: minutes([0, 10, 20], (i) => ({ page: i === 1 ? 'rdw-zoek' : 'gba-zoek' })) },
      ],
      invalid: [
        {
          name: 'three within the hour',
          lookups: minutes([0, 20, 59], () => ({ ...gba, bsn: '111222333' })),
          findings: [
            {
              messageId: 'events',
              user: 'tester',
              bsn: null,
              page: 'gba-zoek',
              count: 3,
              data: { title: 'Eigen regel', group: 'medewerker tester', condition: 'minstens 3', timespan: '1h', lastDate: '2026-04-02' },
            },
          ],
        },
        {
          name: 'a long spree is one burst; a later one is another; out of order lines are sorted',
          lookups: minutes([50, 0, 25, 75, 100, 300, 310, 320, 500], () => gba),
          findings: [
            { messageId: 'events', count: 5 },
            { messageId: 'events', count: 3 },
          ],
        },
        {
          name: 'the threshold is an option',
          lookups: minutes([0, 20], () => gba),
          options: { gte: 2 },
          findings: [{ messageId: 'events', count: 2, data: { condition: 'minstens 2' } }],
        },
      ],
    });
    testRule(rule({ count: { type: 'event_count', timespan: '1h', gt: 2 } }), {
      valid: [{ lookups: minutes([0, 10]) }],
      invalid: [
        {
          name: 'no groupBy: everyone together, more than 2',
          lookups: minutes([0, 10, 20], (i) => ({ user: `u${i}`, page: i === 0 ? 'a' : 'b' })),
          findings: [{ messageId: 'events', user: '*', bsn: null, page: null, count: 3, data: { group: 'alle medewerkers samen', condition: 'meer dan 2' } }],
        },
      ],
    });
  });

  it('value_count: distinct values of the field per group; a repeat counts once, a lookup without the field not at all', () => {
    const bsns = ['111222333', '249566758', '683938861', '111222333', '768510338'];
    testRule(rule({ count: { type: 'value_count', field: 'bsn', groupBy: ['user'], timespan: '1d', gte: 4 } }), {
      valid: [
        { name: 'four lookups, three people', lookups: minutes([0, 10, 20, 30], (i) => ({ bsn: bsns[i % 3]! })) },
        { name: 'searches without BSN do not count', lookups: minutes([0, 10, 20, 30, 40], (i) => ({ bsn: i < 3 ? bsns[i]! : null })) },
        { name: 'the fourth person a day later', lookups: minutes([0, 10, 20, 1440], (i) => ({ bsn: [...bsns.slice(0, 3), '768510338'][i]! })) },
      ],
      invalid: [
        {
          name: 'four people in five lookups',
          lookups: minutes([0, 10, 20, 30, 40], (i) => ({ bsn: bsns[i]! })),
          findings: [{ messageId: 'values', user: 'tester', bsn: null, count: 5, data: { distinct: 4, values: "BSN's", group: 'medewerker tester' } }],
        },
        {
          name: 'searches without BSN between them are not in the count',
          lookups: minutes([0, 5, 10, 15, 20, 30], (i) => ({ bsn: [bsns[0]!, null, bsns[1]!, null, bsns[2]!, bsns[4]!][i]! })),
          findings: [{ messageId: 'values', user: 'tester', count: 4, data: { distinct: 4 } }],
        },
      ],
    });
    // Several groupBy fields, one of them a login with a NUL (a mapped layout can deliver any character).
    testRule(rule({ count: { type: 'value_count', field: 'bsn', groupBy: ['user', 'page'], timespan: '1d', gte: 3 } }), {
      valid: [{ name: 'three people, but on two pages', lookups: minutes([0, 10, 20], (i) => ({ user: 'a\u0000b', page: i === 2 ? 'kadaster' : 'gba', bsn: bsns[i]! })) }],
      invalid: [
        {
          name: 'three people on one page by one login',
          lookups: minutes([0, 10, 20, 30], (i) => ({ user: 'a\u0000b', page: 'gba', bsn: i === 3 ? null : bsns[i]! })),
          findings: [{ messageId: 'values', user: 'a\u0000b', page: 'gba', count: 3, data: { distinct: 3, group: 'medewerker a\u0000b, pagina gba' } }],
        },
      ],
    });
    testRule(rule({ count: { type: 'value_count', field: 'user', groupBy: ['bsn'], timespan: '7d', gte: 3 } }), {
      valid: [{ lookups: minutes([0, 10, 20], (i) => ({ user: `u${i % 2}`, bsn: '111222333' })) }],
      invalid: [
        {
          name: 'one citizen, three employees',
          lookups: minutes([0, 10, 20, 30], (i) => ({ user: `u${i % 3}`, bsn: '111222333' })),
          findings: [{ messageId: 'values', user: '*', bsn: '111222333', count: 4, data: { distinct: 3, values: 'medewerkers', group: 'BSN *****2333' } }],
        },
      ],
    });
  });

  it('groups by register fields: the team valid on each lookup\'s date', () => {
    const reference = teams([
      ['u1', 'handhaving', null, null],
      ['u2', 'handhaving', null, '2026-04-01'],
      ['u2', 'inkomen', '2026-04-02', null],
    ]);
    testRule(rule({ count: { type: 'event_count', groupBy: ['team'], timespan: '1h', gte: 3 } }), {
      valid: [{ name: 'u2 moved to inkomen', reference, lookups: minutes([0, 10, 20], (i) => ({ user: i === 1 ? 'u2' : 'u1' })) }],
      invalid: [
        {
          name: 'handhaving',
          reference,
          lookups: minutes([-1440, -1430, -1420], (i) => ({ user: i === 1 ? 'u2' : 'u1' })),
          findings: [{ messageId: 'events', user: '*', count: 3, data: { group: 'team handhaving' } }],
        },
      ],
    });
  });
});

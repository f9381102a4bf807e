import { describe, expect, it } from 'vitest';
import volumeOutlier from '../../rules/volume-outlier.js';
import { testRule, type Lookup, type ReferenceData, type RegisteredUser, type TestLookup, type WindowFinding } from '../../src/rule-api/index.js';
import { Calendar } from '../../src/time/calendar.js';
import { prng } from '../support/prng.js';

const START = Date.parse('2026-04-01T06:00:00Z');

let line = 0;
/** `count` lookups by `user` with function role `role`, a minute apart from `start` (ms). */
function work(user: string, count: number, role = 'FR0999001', start = START): TestLookup[] {
  return Array.from({ length: count }, (_, index) => ({
    time: start + index * 60_000,
    user,
    roles: ['BASIS_GSD', role, 'R1'],
    bsn: '111222333',
    line: ++line,
  }));
}

function register(teams: Record<string, string>): ReferenceData {
  const users = new Map<string, RegisteredUser[]>();
  for (const [login, team] of Object.entries(teams)) {
    users.set(login, [{ login, name: null, team, roles: [], start: null, end: null, bsn: null }]);
  }
  return { users };
}

const small = { minLookups: 5 };

describe('volume-outlier', () => {
  it('reports users far above the median of their peers, once per period', () => {
    testRule(volumeOutlier, {
      valid: [
        { name: 'everyone alike', lookups: [...work('a', 10), ...work('b', 11), ...work('c', 9), ...work('d', 10)], options: small },
        {
          name: 'exactly three times the median is not more than it',
          lookups: [...work('a', 30), ...work('b', 10), ...work('c', 10), ...work('d', 10)],
          options: small,
        },
        {
          name: 'far above the peers, but below minLookups',
          lookups: [...work('a', 499), ...work('b', 100), ...work('c', 100), ...work('d', 100)],
        },
        {
          name: 'nobody to compare with',
          lookups: work('a', 50),
          options: small,
        },
        {
          name: 'the team decides, not the function role: a busy team of its own',
          lookups: [...work('a', 40), ...work('b', 40), ...work('c', 40), ...work('d', 40), ...work('e', 10), ...work('f', 10), ...work('g', 10)],
          reference: register({ a: 'intake', b: 'intake', c: 'intake', d: 'intake', e: 'inkomen', f: 'inkomen', g: 'inkomen' }),
          options: small,
        },
        {
          name: 'the function role decides without a register: a busy role of its own',
          lookups: [
            ...work('a', 40, 'FR0999004'), ...work('b', 40, 'FR0999004'), ...work('c', 40, 'FR0999004'), ...work('d', 40, 'FR0999004'),
            ...work('e', 10), ...work('f', 10), ...work('g', 10),
          ],
          options: small,
        },
      ],
      invalid: [
        {
          name: 'one user far above the others, with defaults',
          lookups: [...work('a', 700), ...work('b', 200), ...work('c', 220), ...work('d', 180)],
          findings: [
            {
              messageId: 'comparedWithRole',
              user: 'a',
              bsn: null,
              count: 700,
              data: { period: 'april 2026', role: 'FR0999001', peerCount: 3, peerMedian: '200', minLookups: 500, factor: '3' },
            },
          ],
        },
        {
          name: 'the median is robust to heavy users: both heavy users are reported',
          lookups: [...work('a', 40), ...work('b', 45), ...work('c', 10), ...work('d', 11), ...work('e', 12)],
          options: small,
          findings: [
            { messageId: 'comparedWithRole', user: 'a', count: 40, data: { peerMedian: '11,5' } },
            { messageId: 'comparedWithRole', user: 'b', count: 45, data: { peerMedian: '11,5' } },
          ],
        },
        {
          name: 'peers by team from the register',
          lookups: [...work('a', 40), ...work('b', 10), ...work('c', 10), ...work('d', 10), ...['e', 'f', 'g', 'h'].flatMap((user) => work(user, 100))],
          reference: register({ a: 'inkomen', b: 'inkomen', c: 'inkomen', d: 'inkomen', e: 'handhaving', f: 'handhaving', g: 'handhaving', h: 'handhaving' }),
          options: small,
          findings: [{ messageId: 'comparedWithTeam', user: 'a', data: { team: 'inkomen', peerCount: 3, peerMedian: '10' } }],
        },
        {
          name: 'a team of fewer than minPeers other users is compared with all users',
          lookups: [...work('a', 40), ...work('b', 40), ...work('c', 10), ...work('d', 10), ...work('e', 10)],
          reference: register({ a: 'intake', b: 'intake', c: 'inkomen', d: 'inkomen', e: 'inkomen' }),
          options: small,
          findings: [
            { messageId: 'comparedWithAll', user: 'a', data: { peerCount: 4, peerMedian: '10' } },
            { messageId: 'comparedWithAll', user: 'b', data: { peerCount: 4, peerMedian: '10' } },
          ],
        },
        {
          name: 'register colleagues without lookups in the period are not peers',
          lookups: [...work('a', 40), ...work('b', 10), ...work('c', 10), ...work('d', 10, 'FR0999002')],
          reference: register({ a: 'inkomen', b: 'inkomen', c: 'inkomen', x: 'inkomen', y: 'inkomen' }),
          options: small,
          findings: [{ messageId: 'comparedWithAll', user: 'a', data: { peerCount: 3 } }],
        },
        {
          name: 'each calendar month is its own period',
          lookups: [
            ...work('a', 40), ...work('b', 10), ...work('c', 10), ...work('d', 10),
            ...work('a', 40, 'FR0999001', Date.parse('2026-05-04T06:00:00Z')), ...work('b', 40, 'FR0999001', Date.parse('2026-05-04T06:00:00Z')),
          ],
          options: small,
          findings: [{ messageId: 'comparedWithRole', user: 'a', count: 40, data: { period: 'april 2026' } }],
        },
        {
          name: 'a lower factor',
          lookups: [...work('a', 25), ...work('b', 10), ...work('c', 10), ...work('d', 10)],
          options: { minLookups: 5, factor: 2 },
          findings: [{ messageId: 'comparedWithRole', user: 'a', data: { factor: '2' } }],
        },
      ],
    });
  });
});

describe('volume-outlier evidence', () => {
  // Chunks of 70 are merged before a chunk trims; chunks of 500 and 1,000 trim, and then keep only earlier pairs.
  // 'one late': in order but for the earliest lookup, which comes last, after the first 100 were kept.
  const cases = ['reversed', 'in order', 'shuffled', 'one late'].flatMap((order) => [70, 500, 1000].map((chunkSize) => [order, chunkSize] as const));
  it.each(cases)('keeps the earliest lookups as evidence, in time order, however they arrive and are merged (%s, chunks of %i)', (order, chunkSize) => {
    const hooks = volumeOutlier.create({
      options: { ...volumeOutlier.meta.options.defaults, minLookups: 5 },
      calendar: new Calendar({ timezone: 'Europe/Amsterdam' }),
      reference: {},
      period: () => 'run',
      bsnKey: (bsn) => bsn,
    }).window!;
    // 'a' looks up 900 times, in chunks in the given order; three peers look up 10 times each.
    const random = prng(900);
    const own = work('a', 900);
    if (order === 'reversed') own.reverse();
    if (order === 'shuffled') own.sort(() => random() - 0.5);
    if (order === 'one late') own.push(own.shift()!);
    const lookups = [...own, ...work('b', 10), ...work('c', 10), ...work('d', 10)].map(
      (lookup) => ({ source: 0, page: null, ...lookup, time: lookup.time }) as unknown as Lookup,
    );
    const total = hooks.init();
    for (let at = 0; at < lookups.length; at += chunkSize) {
      const chunk = hooks.init();
      for (const lookup of lookups.slice(at, at + chunkSize)) hooks.add(chunk, lookup);
      // Every other chunk is compacted as a worker does: it keeps a user's earliest 100 only.
      if ((at / chunkSize) % 2 === 0) {
        hooks.compact!(chunk);
        for (const user of Object.values(chunk.users)) expect(user.earliest.length).toBeLessThanOrEqual(200);
      }
      hooks.merge(total, structuredClone(chunk));
    }
    const found: WindowFinding[] = [];
    hooks.finish('run', total, (finding) => found.push(finding));
    expect(found.map((finding) => finding.user)).toEqual(['a']);
    const earliest = lookups
      .filter((lookup) => lookup.user === 'a')
      .sort((x, y) => x.time - y.time)
      .slice(0, 100)
      .map((lookup) => lookup.line);
    expect(found[0]!.evidence.map((ref) => ref.line)).toEqual(earliest);
    expect(found[0]!.count).toBe(900);
  });
});

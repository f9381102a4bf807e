import { describe, expect, it } from 'vitest';
import { BsnSet, IndicatorCollector, emptyTotal, finishIndicators, mergeIndicators, topBsnsOf, type IndicatorPartial } from '../../src/engine/indicators.js';
import { prng } from '../../fixtures/prng.js';
import type { Lookup } from '../../src/rule-api/types.js';
import { Calendar } from '../../src/time/calendar.js';

const calendar = new Calendar({ timezone: 'Europe/Amsterdam' });

function lookup(user: string, bsn: string | null, page: string | null, roles: string[] = ['R1']): Lookup {
  return {
    time: 0,
    user,
    userName: null,
    roles,
    organisation: null,
    chosenMunicipality: null,
    page,
    searchKeys: bsn === null ? { Postcode: '1234AB' } : { bsn },
    bsn,
    escapeReason: null,
    session: null,
    layout: 'classic',
    file: 'f',
    line: 1,
    source: 0,
  };
}

const LOOKUPS = [
  lookup('a', '111222333', 'gba-zoek', ['R1', 'FR1']),
  lookup('a', '111222333', 'gba-zoek'),
  lookup('b', '111222333', 'uwv-polis'),
  lookup('b', null, 'gba-zoek'),
  lookup('c', '111222333', null, ['FR1']),
  lookup('c', '249566758', 'rdw-zoek'),
  lookup('a', '249566758', 'gba-zoek'),
];

function collect(lookups: readonly Lookup[]) {
  const collector = new IndicatorCollector(calendar);
  for (const item of lookups) collector.add(item);
  return collector.finish();
}

/** The main thread's total of partials, merged in order. */
function totalOf(...partials: IndicatorPartial[]) {
  const total = emptyTotal();
  for (const partial of partials) mergeIndicators(total, partial);
  return total;
}

describe('indicators', () => {
  it('counts users, pages, roles, searches without BSN and the BSNs most users looked up', () => {
    const indicators = finishIndicators(totalOf(collect(LOOKUPS)), 2);
    expect(indicators).toEqual({
      lookups: 7,
      users: 3,
      offHoursShare: Number((2 / 7).toFixed(6)),
      nonBsnShare: Number((1 / 7).toFixed(6)),
      nonBsnUserShare: Number((1 / 3).toFixed(6)),
      topUsers: [
        { user: 'a', lookups: 3 },
        { user: 'b', lookups: 2 },
        { user: 'c', lookups: 2 },
      ],
      topBsns: [
        { bsn: '111222333', users: 3 },
        { bsn: '249566758', users: 2 },
      ],
      lookupsPerPage: [
        { page: 'gba-zoek', lookups: 4 },
        { page: 'rdw-zoek', lookups: 1 },
        { page: 'uwv-polis', lookups: 1 },
      ],
      usersPerRole: [
        { role: 'R1', users: 3 },
        { role: 'FR1', users: 2 },
      ],
      // Every lookup at instant 0: Thursday 1 January 1970, 01:00 in Amsterdam.
      lookupsByHourOfWeek: Array.from({ length: 168 }, (_, hour) => (hour === 3 * 24 + 1 ? 7 : 0)),
      lookupsPerDay: [{ date: '1970-01-01', lookups: 7, offHours: 0 }],
      lookupsPerUser: [
        { user: 'a', lookups: 3 },
        { user: 'b', lookups: 2 },
        { user: 'c', lookups: 2 },
      ],
    });
    expect(finishIndicators(totalOf(collect(LOOKUPS)), null).offHoursShare).toBeNull();
  });

  it('gives the same result however the lookups are split into partials', () => {
    const whole = finishIndicators(totalOf(collect(LOOKUPS)), 0);
    for (let cut = 1; cut < LOOKUPS.length; cut++) {
      const merged = emptyTotal();
      mergeIndicators(merged, collect(LOOKUPS.slice(0, cut)));
      mergeIndicators(merged, collect(LOOKUPS.slice(cut)));
      expect(finishIndicators(merged, 0)).toEqual(whole);
    }
    const perLookup = emptyTotal();
    for (const item of LOOKUPS) mergeIndicators(perLookup, collect([item]));
    expect(finishIndicators(perLookup, 0)).toEqual(whole);
  });
});

describe('BsnSet', () => {
  it('holds each BSN once, as a Set does, through growing (differential)', () => {
    const random = prng(5);
    for (const count of [0, 1, 31, 32, 33, 5000]) {
      const set = new BsnSet();
      const expected = new Set<number>();
      for (let index = 0; index < count; index++) {
        // BSN 0 (BKWI's empty default), the largest, and many repeats.
        const bsn = index % 7 === 0 ? 0 : index % 11 === 0 ? 999_999_999 : (Math.floor(random() * (count / 2 + 1)) * 1_000_003) % 999_999_999;
        set.add(bsn);
        expected.add(bsn);
      }
      expect(set.size).toBe(expected.size);
      expect([...set].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
    }
  });
});

describe('topBsnsOf', () => {
  it('picks what sorting every BSN by users (most first), then by its nine digits, and taking the first gives (differential)', () => {
    const random = prng(11);
    const bySorting = (usersPerBsn: Map<number, number>, count: number) =>
      [...usersPerBsn]
        .map(([bsn, users]) => ({ bsn: String(bsn).padStart(9, '0'), users }))
        .sort((a, b) => b.users - a.users || (a.bsn < b.bsn ? -1 : a.bsn > b.bsn ? 1 : 0))
        .slice(0, count);
    for (let round = 0; round < 300; round++) {
      const usersPerBsn = new Map<number, number>();
      const size = Math.floor(random() * 60);
      // Few distinct counts, so that ties are many; BSN 0 (the empty default) and small numbers included.
      for (let index = 0; index < size; index++) usersPerBsn.set(Math.floor(random() * (random() < 0.3 ? 50 : 999_999_999)), 1 + Math.floor(random() * 4));
      for (const count of [0, 1, 3, 10]) expect(topBsnsOf(usersPerBsn, count), `round ${round}, top ${count}`).toEqual(bySorting(usersPerBsn, count));
    }
  });
});

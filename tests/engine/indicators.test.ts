import { describe, expect, it } from 'vitest';
import { IndicatorCollector, emptyIndicators, finishIndicators, mergeIndicators } from '../../src/engine/indicators.js';
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

describe('indicators', () => {
  it('counts users, pages, roles, searches without BSN and the BSNs most users looked up', () => {
    const indicators = finishIndicators(collect(LOOKUPS), 2);
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
    expect(finishIndicators(collect(LOOKUPS), null).offHoursShare).toBeNull();
  });

  it('gives the same result however the lookups are split into partials', () => {
    const whole = finishIndicators(collect(LOOKUPS), 0);
    for (let cut = 1; cut < LOOKUPS.length; cut++) {
      const merged = emptyIndicators();
      mergeIndicators(merged, collect(LOOKUPS.slice(0, cut)));
      mergeIndicators(merged, collect(LOOKUPS.slice(cut)));
      expect(finishIndicators(merged, 0)).toEqual(whole);
    }
    const perLookup = emptyIndicators();
    for (const item of LOOKUPS) mergeIndicators(perLookup, collect([item]));
    expect(finishIndicators(perLookup, 0)).toEqual(whole);
  });
});

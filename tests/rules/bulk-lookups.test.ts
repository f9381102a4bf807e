import { describe, expect, it } from 'vitest';
import bulkLookups from '../../rules/bulk-lookups.js';
import { testRule, type Lookup, type TestLookup } from '../../src/rule-api/index.js';
import { Calendar } from '../../src/time/calendar.js';

const START = Date.parse('2026-04-09T08:00:00Z');

/** `count` lookups by `user`, `stepSeconds` apart from `offsetMinutes` after START, each of its own BSN. */
function series(count: number, stepSeconds: number, options: { user?: string; offsetMinutes?: number } = {}): TestLookup[] {
  return Array.from({ length: count }, (_, index) => ({
    time: START + (options.offsetMinutes ?? 0) * 60_000 + index * stepSeconds * 1000,
    user: options.user ?? 'u1',
    bsn: String(100_000_000 + index),
    line: index + 1 + (options.offsetMinutes ?? 0) * 1000,
  }));
}

describe('bulk-lookups', () => {
  it('finds bursts of lookups by one user within the timespan', () => {
    testRule(bulkLookups, {
      valid: [
        { name: '99 lookups in 50 minutes', lookups: series(99, 30) },
        { name: '100 lookups spread over more than an hour', lookups: series(100, 37) },
        {
          name: 'two users with 60 each in the same hour',
          lookups: [...series(60, 30, { user: 'a' }), ...series(60, 30, { user: 'b', offsetMinutes: 1 })],
        },
        { name: 'a lower threshold is not reached', lookups: series(9, 60), options: { threshold: 10, timespan: '5m' } },
      ],
      invalid: [
        {
          name: '130 lookups in 45 minutes is one burst',
          lookups: series(130, 20),
          findings: [{ messageId: 'burst', count: 130, bsn: null, data: { distinctBsns: 130, threshold: 100, timespan: '60m' } }],
        },
        {
          name: 'exactly 100 within a window',
          lookups: series(100, 36),
          findings: [{ messageId: 'burst', count: 100 }],
        },
        {
          name: 'overlapping windows merge: 160 lookups evenly over 90 minutes',
          lookups: series(160, 34),
          findings: [{ messageId: 'burst', count: 160 }],
        },
        {
          name: 'lines out of time order are sorted first',
          lookups: series(120, 20).reverse(),
          findings: [{ messageId: 'burst', count: 120 }],
        },
        {
          name: 'two separate bursts',
          lookups: [...series(100, 20), ...series(100, 20, { offsetMinutes: 180 })],
          findings: [
            { messageId: 'burst', count: 100 },
            { messageId: 'burst', count: 100 },
          ],
        },
        {
          name: 'options in Sigma words: gte 10 within 5m',
          lookups: series(10, 20),
          options: { threshold: 10, timespan: '5m' },
          findings: [{ messageId: 'burst', count: 10, data: { threshold: 10, timespan: '5m' } }],
        },
      ],
    });
  });

  it('keeps a few parts per user however many chunks it is merged from, and finds the same burst', () => {
    const hooks = bulkLookups.create({
      options: { threshold: 100, timespan: '60m' },
      calendar: new Calendar({ timezone: 'Europe/Amsterdam' }),
      reference: {},
      period: () => 'run',
      bsnKey: (bsn) => bsn,
    }).window!;
    const total = hooks.init();
    // 4,000 chunks of one lookup each, as the engine merges them: each compacted and copied across threads.
    for (const [index, lookup] of series(4000, 1).entries()) {
      const chunk = hooks.init();
      hooks.add(chunk, { ...lookup, source: 0, line: index + 1 } as unknown as Lookup);
      hooks.compact!(chunk);
      hooks.merge(total, structuredClone(chunk));
      // At most three parts per level, a level per factor four.
      expect(total.merged.length).toBeLessThanOrEqual(3 * Math.ceil(Math.log(index + 2) / Math.log(4)));
    }
    const found: Array<{ count: number }> = [];
    hooks.finish('u1', total, (finding) => found.push(finding));
    expect(found.map((finding) => finding.count)).toEqual([4000]);
  });
});

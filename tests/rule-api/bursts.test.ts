import { describe, expect, it } from 'vitest';
import { eventCount, forEachBurst, valueCount } from '../../src/rule-api/index.js';

/** The bursts of sorted times (minutes) as [first, last] positions. */
function bursts(minutes: number[], spanMinutes: number, threshold: number, values?: number[], from = 0, to = minutes.length): number[][] {
  const found: number[][] = [];
  const measure = values === undefined ? eventCount() : valueCount((position) => values[position]!, Math.max(0, ...values) + 1);
  forEachBurst({ from, to, time: (position) => minutes[position]! * 60_000, span: spanMinutes * 60_000, threshold, measure }, (first, last) =>
    found.push([first, last]),
  );
  expect(measure.value(), 'the measure is empty again').toBe(0);
  return found;
}

describe('forEachBurst', () => {
  it('event_count: windows of lookups less than the span after the first; overlapping windows form one burst', () => {
    expect(bursts([0, 10, 20], 20, 3)).toEqual([]);
    expect(bursts([0, 10, 19], 20, 3)).toEqual([[0, 2]]);
    expect(bursts([0, 5, 10, 15, 20, 25], 11, 3)).toEqual([[0, 5]]);
    expect(bursts([0, 1, 2, 100, 101, 102], 10, 3)).toEqual([
      [0, 2],
      [3, 5],
    ]);
    expect(bursts([0, 1, 2, 100, 101, 102], 10, 3, undefined, 1, 6)).toEqual([[3, 5]]);
  });

  it('value_count: distinct values in the window, a repeated value counting once', () => {
    expect(bursts([0, 1, 2, 3], 10, 3, [0, 0, 1, 1])).toEqual([]);
    expect(bursts([0, 1, 2, 3], 10, 3, [0, 0, 1, 2])).toEqual([[0, 3]]);
    expect(bursts([0, 1, 2, 30, 31], 10, 2, [4, 4, 4, 1, 2])).toEqual([[3, 4]]);
  });
});

/**
 * Sliding windows in Sigma's correlation sense, for windowed rules: over lookups sorted by time, each
 * window holds the lookups less than `timespan` after its first one, and a window whose measure
 * (`event_count`: its lookups; `value_count`: its distinct values) reaches the threshold is a hit.
 * Overlapping hits form one burst, so that a long spree is reported once and not once per lookup.
 */

/** What a window measures, kept up as lookups enter at its end and leave at its start. */
export interface WindowMeasure {
  enter(position: number): void;
  leave(position: number): void;
  /** The measure of the lookups now in the window. */
  value(): number;
}

/** Sigma's `event_count`: the number of lookups in the window. */
export function eventCount(): WindowMeasure {
  let count = 0;
  return {
    enter: () => void count++,
    leave: () => void count--,
    value: () => count,
  };
}

/**
 * Sigma's `value_count`: the number of distinct values in the window. `valueAt(position)` is the index of
 * the lookup's value, from 0 to `values - 1` (an index into the state's list of logins, BSNs, …).
 */
export function valueCount(valueAt: (position: number) => number, values: number): WindowMeasure {
  const inWindow = new Int32Array(values);
  let distinct = 0;
  return {
    enter(position) {
      if (inWindow[valueAt(position)]!++ === 0) distinct++;
    },
    leave(position) {
      if (--inWindow[valueAt(position)]! === 0) distinct--;
    },
    value: () => distinct,
  };
}

export interface BurstSearch {
  /** First position to look at, and the position after the last (lookups sorted by time in between). */
  from: number;
  to: number;
  time(position: number): number;
  /** Window length in ms. */
  span: number;
  /** The measure a window must reach (Sigma `gte`). */
  threshold: number;
  /** Starts empty; it is empty again when the search returns, so one measure can serve several searches. */
  measure: WindowMeasure;
}

/**
 * Calls `emit(first, last)` for every burst, in time order: the union of overlapping windows that reach the
 * threshold, as the positions of its first and last lookup.
 */
export function forEachBurst(search: BurstSearch, emit: (first: number, last: number) => void): void {
  const { from, to, time, span, threshold, measure } = search;
  let burstFirst = -1;
  let burstLast = -1;
  // Two pointers: the window [start, end) holds the lookups less than `span` after `start`.
  let end = from;
  for (let start = from; start < to; start++) {
    while (end < to && time(end) - time(start) < span) measure.enter(end++);
    if (measure.value() >= threshold) {
      if (burstFirst >= 0 && start <= burstLast) {
        burstLast = Math.max(burstLast, end - 1);
      } else {
        if (burstFirst >= 0) emit(burstFirst, burstLast);
        burstFirst = start;
        burstLast = end - 1;
      }
    }
    measure.leave(start);
  }
  if (burstFirst >= 0) emit(burstFirst, burstLast);
}

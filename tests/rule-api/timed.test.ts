import { describe, expect, it } from 'vitest';
import {
  appendTimed,
  compactTimed,
  joinedTimed,
  mergeTimed,
  tagTimeOrder,
  timedLookups,
  timeOrder,
  unpackPosition,
  type Lookup,
  type TimedPart,
} from '../../src/rule-api/index.js';
import { prng } from '../support/prng.js';

const lookup = (time: number, line: number) => ({ time, line, source: 0 }) as Lookup;

type Row = [number, number, string | null, string | null];

/** Every lookup of a part as [time, line, first tag, second tag], in slot order. */
function rows(state: TimedPart): Row[] {
  const name = (tag: number, slot: number) => {
    const index = state.tags[tag]![slot]!;
    return index === -1 ? null : state.names[index]!;
  };
  return Array.from({ length: state.length }, (_, slot) => [state.times[slot]!, unpackPosition(state.positions[slot]!).line, name(0, slot), name(1, slot)]);
}

const SESSIONS = ['s1', 's2', 's3', null];
const WANTED = Array.from({ length: 300 }, (_, at): Row => [at * 1000, at + 1, SESSIONS[at % 4]!, at % 2 === 0 ? 'gba-zoek' : null]);

describe('timed lookups', () => {
  it('keeps the tags of every lookup as the columns grow, and renumbers them when merged parts are joined', () => {
    const whole = timedLookups(['name', 'name']);
    for (const [time, line, first, second] of WANTED) appendTimed(whole, lookup(time, line), first, second);
    expect(rows(joinedTimed(whole))).toEqual(WANTED);
    // The same lookups in two chunks whose names come in another order, the later one copied as across threads.
    const early = timedLookups(['name', 'name']);
    const late = timedLookups(['name', 'name']);
    for (const [time, line, first, second] of WANTED.slice(201)) appendTimed(late, lookup(time, line), first, second);
    for (const [time, line, first, second] of WANTED.slice(0, 201)) appendTimed(early, lookup(time, line), first, second);
    // Names are the state's own once compacted.
    compactTimed(late);
    compactTimed(early);
    expect(late.names[0]).not.toBe(early.names[0]);
    mergeTimed(early, structuredClone(late));
    expect(rows(joinedTimed(early))).toEqual(WANTED);
  });

  it('keeps number tags as they are, -1 included, next to name tags', () => {
    const early = timedLookups(['number', 'name']);
    const late = timedLookups(['number', 'name']);
    appendTimed(early, lookup(1, 1), 111222333, 'a');
    appendTimed(late, lookup(2, 2), -1, 'b');
    appendTimed(late, lookup(3, 3), 7, 'a');
    mergeTimed(early, late);
    const all = joinedTimed(early);
    expect([...all.tags[0]!.subarray(0, all.length)]).toEqual([111222333, -1, 7]);
    expect([...all.tags[1]!.subarray(0, all.length)].map((index) => all.names[index])).toEqual(['a', 'b', 'a']);
  });

  it('keeps a few parts per level (four chunks a level) however many chunks are merged, and joins them in input order', () => {
    const total = timedLookups(['name', 'name']);
    for (const [index, [time, line, first, second]] of WANTED.entries()) {
      const chunk = timedLookups(['name', 'name']);
      appendTimed(chunk, lookup(time, line), first, second);
      compactTimed(chunk);
      expect(chunk.times.length).toBe(1);
      if (index === 0) Object.assign(total, chunk);
      else mergeTimed(total, structuredClone(chunk));
      // At most three parts per level, a level per factor four.
      expect(total.merged.length).toBeLessThanOrEqual(3 * Math.ceil(Math.log(index + 2) / Math.log(4)));
      // A part's names are listed once each, however often its parts were joined (and their tables handed on).
      for (const part of total.merged) expect(new Set(part.names).size).toBe(part.names.length);
    }
    expect(rows(joinedTimed(total))).toEqual(WANTED);
  });

  it('orders by instant, then by input position', () => {
    const state = timedLookups();
    for (const [time, line] of [[30, 1], [10, 4], [10, 2], [20, 3]]) appendTimed(state, lookup(time!, line!));
    expect(timeOrder(joinedTimed(state))).toEqual([2, 1, 3, 0]);
  });

  it('orders by a number tag, then by instant and position, as a sort that compares all three does', () => {
    const random = prng(20261129);
    // [lookups, tags from, tags below, share of lookups out of time order]; tags may be 0 or negative.
    // Thousands of distinct tags make the table of tags grow (from 1024, by four), up to the largest int32.
    const cases = [
      [0, 0, 1, 0], [1, 0, 1, 0], [500, 0, 20, 0], [500, 0, 20, 0.3], [2000, 0, 3, 0.05], [300, 0, 1e9, 0.5],
      [6000, 0, 2 ** 31 - 1, 0.1], [3000, 2 ** 31 - 3, 2 ** 31 - 1, 0], [300, -5, 5, 0.2],
    ] as const;
    for (const [size, tagFrom, tagRange, outOfOrder] of cases) {
      const state = timedLookups(['number']);
      let time = 1_000;
      for (let line = 1; line <= size; line++) {
        time += random() < outOfOrder ? -Math.floor(random() * 5_000) : Math.floor(random() * 3) * 1_000;
        appendTimed(state, lookup(time, line), tagFrom + Math.floor(random() * (tagRange - tagFrom)));
      }
      const joined = joinedTimed(state);
      const tags = joined.tags[0]!;
      const expected = Array.from({ length: joined.length }, (_, index) => index).sort(
        (a, b) => tags[a]! - tags[b]! || joined.times[a]! - joined.times[b]! || joined.positions[a]! - joined.positions[b]!,
      );
      expect(tagTimeOrder(joined, 0), `${size} lookups, tags below ${tagRange}, ${outOfOrder} out of order`).toEqual(expected);
    }
  });

  it('orders lookups that are already in order, or out of order only within one instant', () => {
    const order = (rows: Array<[number, number]>) => {
      const state = timedLookups();
      for (const [time, line] of rows) appendTimed(state, lookup(time, line));
      return timeOrder(joinedTimed(state));
    };
    expect(order([[10, 1], [10, 2], [20, 3], [30, 4]])).toEqual([0, 1, 2, 3]);
    expect(order([[10, 1], [20, 3], [20, 2], [30, 4]])).toEqual([0, 2, 1, 3]);
    expect(order([[10, 1], [20, 2], [30, 3], [5, 4]])).toEqual([3, 0, 1, 2]);
    expect(order([])).toEqual([]);
  });

  it('stores merged parts narrow where the values fit, wide where they do not, and gives back every value exactly', () => {
    const day = 86_400_000;
    const cases: Array<[string, Array<[number, number, number]>, boolean, boolean]> = [
      ['a month of whole milliseconds from one file', [[Date.parse('2026-03-01'), 0, 1], [Date.parse('2026-03-31T23:59:59.999Z'), 0, 2]], true, true],
      ['lines of several files, the last line number there is', [[Date.parse('2026-03-01'), 1, 7], [Date.parse('2026-03-02'), 65_535, 4_294_967_295]], true, true],
      ['more than 49 days', [[Date.parse('2026-01-01'), 0, 1], [Date.parse('2026-01-01') + 50 * day, 0, 2]], false, true],
      ['a fraction of a millisecond', [[1000.5, 0, 1], [1001, 0, 2]], false, true],
      ['input number 65,536', [[1000, 65_536, 4_294_967_295], [1001, 3, 2]], true, false],
    ];
    for (const [name, rowsIn, narrowTimes, narrowSources] of cases) {
      // Four chunks holding the rows, merged into a state of their own: the state keeps each as it came (a
      // part of level 0, wide), then joins the four into one part of level 1, stored narrow where it fits.
      const total = timedLookups(['number']);
      const expected: Array<[number, number, number, number]> = [];
      for (let chunkIndex = 0; chunkIndex < 4; chunkIndex++) {
        const chunk = timedLookups(['number']);
        rowsIn.forEach(([time, source, line], index) => {
          appendTimed(chunk, { time, source, line } as Lookup, 10 * chunkIndex + index);
          expected.push([time, source, line, 10 * chunkIndex + index]);
        });
        compactTimed(chunk);
        mergeTimed(total, structuredClone(chunk));
        const stored = total.merged.at(-1)!;
        const [level, offsets, sources] = chunkIndex < 3 ? [0, false, false] : [1, narrowTimes, narrowSources];
        expect([stored.level, stored.offsets !== null, stored.sources !== null], `${name}, chunk ${chunkIndex}`).toEqual([level, offsets, sources]);
        // Every value comes back exactly, from parts of either kind.
        const all = joinedTimed(total);
        expect(Array.from(all.times), name).toEqual(expected.map(([time]) => time));
        expect(Array.from(all.positions).map((packed) => [Math.floor(packed / 2 ** 32), packed % 2 ** 32]), name).toEqual(expected.map(([, source, line]) => [source, line]));
        expect(Array.from(all.tags[0]!), name).toEqual(expected.map(([, , , tag]) => tag));
      }
      expect(total.merged, name).toHaveLength(1);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { appendTimed, mergeTimed, timedLookups, timeOrder, unpackPosition, type Lookup, type TimedLookups } from '../../src/rule-api/index.js';

const lookup = (time: number, line: number) => ({ time, line, source: 0 }) as Lookup;

/** Every lookup of a state as [time, line, first tag, second tag], in slot order. */
function rows(state: TimedLookups): Array<[number, number, string | null, string | null]> {
  const name = (tag: number, slot: number) => {
    const index = state.tags[tag]![slot]!;
    return index === -1 ? null : state.names[index]!;
  };
  return Array.from({ length: state.length }, (_, slot) => [state.times[slot]!, unpackPosition(state.positions[slot]!).line, name(0, slot), name(1, slot)]);
}

describe('timed lookups', () => {
  it('keeps the tags of every lookup as the columns grow, and renumbers them on merge', () => {
    const sessions = ['s1', 's2', 's3', null];
    const wanted = Array.from({ length: 300 }, (_, at): [number, number, string | null, string | null] => [at * 1000, at + 1, sessions[at % 4]!, at % 2 === 0 ? 'gba-zoek' : null]);
    const whole = timedLookups(2);
    for (const [time, line, first, second] of wanted) appendTimed(whole, lookup(time, line), first, second);
    expect(rows(whole)).toEqual(wanted);
    // The same lookups in two chunks whose names come in another order.
    const early = timedLookups(2);
    const late = timedLookups(2);
    for (const [time, line, first, second] of wanted.slice(201)) appendTimed(late, lookup(time, line), first, second);
    for (const [time, line, first, second] of wanted.slice(0, 201)) appendTimed(early, lookup(time, line), first, second);
    expect(late.names[0]).not.toBe(early.names[0]);
    mergeTimed(early, late);
    expect(rows(early)).toEqual(wanted);
  });

  it('orders by instant, then by input position', () => {
    const state = timedLookups(0);
    for (const [time, line] of [[30, 1], [10, 4], [10, 2], [20, 3]]) appendTimed(state, lookup(time!, line!));
    expect(timeOrder(state)).toEqual([2, 1, 3, 0]);
  });
});

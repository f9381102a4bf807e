import { describe, expect, it } from 'vitest';
import { IndicatorCollector } from '../../src/engine/indicators.js';
import { appendTimed, compactTimed, joinedTimed, timedLookups, type Lookup } from '../../src/rule-api/index.js';
import { TypedArrayPool } from '../../src/rule-api/typed-pool.js';
import { Calendar } from '../../src/time/calendar.js';
import { prng } from '../support/prng.js';

describe('TypedArrayPool', () => {
  it('hands out powers of two from the smallest length, and the arrays given back again', () => {
    let made = 0;
    const pool = new TypedArrayPool<Int32Array>((length) => (made++, new Int32Array(length)), 8, 2);
    expect(pool.take(0).length).toBe(8);
    expect(pool.take(9).length).toBe(16);
    expect(pool.take(16).length).toBe(16);
    const given = [pool.take(100), pool.take(100), pool.take(100)];
    expect(given.map((array) => array.length)).toEqual([128, 128, 128]);
    expect(made).toBe(6);
    for (const array of given) pool.give(array);
    // Two are kept (`keep`), the last one given first.
    expect(pool.take(128)).toBe(given[1]);
    expect(pool.take(65)).toBe(given[0]);
    expect(made).toBe(6);
    expect(pool.take(128)).not.toBe(given[2]);
    expect(made).toBe(7);
  });

  it('grows an array into one twice as long, keeping the values used, and takes the old one back', () => {
    const pool = new TypedArrayPool<Float64Array>((length) => new Float64Array(length), 4);
    const small = pool.take(4);
    small.set([1.5, 2.5, 3.5, 4.5]);
    const larger = pool.grow(small, 3);
    expect(larger.length).toBe(8);
    expect([...larger.subarray(0, 3)]).toEqual([1.5, 2.5, 3.5]);
    expect(pool.take(4)).toBe(small);
  });
});

const lookup = (time: number, line: number) => ({ time, line, source: 0 }) as Lookup;

describe('arrays reused from chunk to chunk', () => {
  it('leave no values of one window state in another (timed lookups)', () => {
    const random = prng(20261129);
    // Keys of many sizes, appended interleaved, compacted and appended to again: each state's arrays come
    // from the pool, grow, go back, and are taken by the next state.
    const states = Array.from({ length: 12 }, () => timedLookups(['number', 'name']));
    const wanted = states.map((): Array<[number, number, number, string]> => []);
    let line = 0;
    for (let round = 0; round < 3; round++) {
      for (let step = 0; step < 2_000; step++) {
        const key = Math.floor(random() * random() * states.length);
        line++;
        const row: [number, number, number, string] = [line * 1000, line, Math.floor(random() * 1e9), `s${key}-${line % 3}`];
        wanted[key]!.push(row);
        appendTimed(states[key]!, lookup(row[0], row[1]), row[2], row[3]);
      }
      for (const state of states) compactTimed(state);
    }
    for (const [key, state] of states.entries()) {
      const all = joinedTimed(state);
      const got = Array.from({ length: all.length }, (_, slot): [number, number, number, string] => [
        all.times[slot]!,
        all.positions[slot]!,
        all.tags[0]![slot]!,
        all.names[all.tags[1]![slot]!]!,
      ]);
      expect(got, `key ${key}`).toEqual(wanted[key]);
    }
  });

  it("leave no BSNs of one chunk's user in the next chunk's (indicators)", () => {
    const calendar = new Calendar({ timezone: 'Europe/Amsterdam' });
    const user = (login: string, bsn: number) => ({ time: 0, user: login, roles: [], page: null, bsn: String(bsn) }) as unknown as Lookup;
    const first = new IndicatorCollector(calendar);
    for (let bsn = 1; bsn <= 300; bsn++) first.add(user('a', 1000 - (bsn % 150)));
    expect([...first.finish().bsnsByUser.get('a')!.values]).toEqual(Array.from({ length: 150 }, (_, at) => 851 + at));
    const second = new IndicatorCollector(calendar);
    second.add(user('b', 7));
    second.add(user('b', 5));
    second.add(user('b', 7));
    expect([...second.finish().bsnsByUser.get('b')!.values]).toEqual([5, 7]);
  });
});

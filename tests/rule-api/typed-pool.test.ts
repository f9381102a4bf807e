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

describe('name tags numbered per thread', () => {
  const sessions = (state: ReturnType<typeof timedLookups>) => {
    const all = joinedTimed(state);
    return Array.from({ length: all.length }, (_, slot) => all.names[all.tags[0]![slot]!] ?? null);
  };

  it('come out as the names appended, when the numbering starts afresh between and during the appends', () => {
    const early = timedLookups(['name']);
    const many = timedLookups(['name']);
    const wanted: Array<string | null> = [];
    for (let line = 1; line <= 50; line++) {
      wanted.push(line % 7 === 0 ? null : `s${line % 5}`);
      appendTimed(early, lookup(line, line), wanted.at(-1));
    }
    // More names than one numbering holds (65,536), each twice: the numbering starts afresh in between.
    const names: string[] = [];
    for (let line = 1; line <= 140_000; line++) {
      names.push(`session-${line >> 1}`);
      appendTimed(many, lookup(line, line), names.at(-1));
    }
    // The early state's rows are of the numbering before: it is compacted before it takes another.
    wanted.push('s1');
    appendTimed(early, lookup(51, 51), 's1');
    expect(sessions(early)).toEqual(wanted);
    expect(sessions(many)).toEqual(names);
    expect(joinedTimed(many).names.length).toBe(70_001);
  });

  it('come out right from a copy of a state that was not compacted', () => {
    const state = timedLookups(['number', 'name']);
    appendTimed(state, lookup(1, 1), 5, 'a');
    appendTimed(state, lookup(2, 2), 6, 'b');
    const copy = structuredClone(state);
    appendTimed(state, lookup(3, 3), 7, 'c');
    const all = joinedTimed(copy);
    expect([...all.tags[1]!].map((index) => all.names[index])).toEqual(['a', 'b']);
    expect([...joinedTimed(state).tags[0]!]).toEqual([5, 6, 7]);
  });
});

import { describe, expect, it } from 'vitest';
import { Caseload, CaseloadBuilder } from '../../src/reference/caseload.js';
import { BsnNumbering, BsnTable } from '../../src/rule-api/bsn-table.js';
import { forEachCasePeriod } from '../../src/rule-api/case-periods.js';
import type { CasePeriod } from '../../src/rule-api/types.js';

const period = (start: number, end: number | null, caseId: string | null = 'Z-1', team: string | null = 'Inkomen', worker: string | null = null): CasePeriod => ({
  caseId,
  team,
  worker,
  start,
  end,
});

/** A map as loadCaseload builds it: a BSN with a leading zero, several periods, open cases, missing texts. */
const MAP = new Map<string, CasePeriod[]>([
  ['111222333', [period(20_000, 20_100), period(20_200, null, 'Z-2', 'Handhaving', 'jansen')]],
  ['012345672', [period(19_000, null, null, null, null)]],
  ['999999990', []],
  ['123456782', [period(-5, 3, 'Z-3', 'Inkomen', 'Inkomen')]],
]);

describe('Caseload', () => {
  it('reads as the map it was made of: size, get, has, and entries, keys and values in its order', () => {
    const caseload = Caseload.fromMap(MAP);
    expect(caseload.size).toBe(4);
    expect(new Map(caseload)).toEqual(MAP);
    expect([...caseload.keys()]).toEqual([...MAP.keys()]);
    expect([...caseload.values()]).toEqual([...MAP.values()]);
    for (const [bsn, periods] of MAP) {
      expect(caseload.get(bsn)).toEqual(periods);
      expect(caseload.has(bsn)).toBe(true);
    }
    const visited: string[] = [];
    caseload.forEach((periods, bsn, map) => {
      expect(periods).toEqual(MAP.get(bsn));
      expect(map).toBe(caseload);
      visited.push(bsn);
    });
    expect(visited).toEqual([...MAP.keys()]);
  });

  it('holds nothing for BSNs it was not given, nor for keys that are no nine-digit BSN', () => {
    const caseload = Caseload.fromMap(MAP);
    for (const key of ['111222334', '12345672', '0012345672', '', 'abcdefghi', '11122233x', '000000000']) {
      expect(caseload.get(key)).toBeUndefined();
      expect(caseload.has(key)).toBe(false);
    }
  });

  it('crosses to a worker as plain data and reads the same after revive; other values pass revive as they are', () => {
    const copy = structuredClone(Caseload.fromMap(MAP));
    expect(copy).not.toBeInstanceOf(Caseload);
    const revived = Caseload.revive(copy);
    expect(revived).toBeInstanceOf(Caseload);
    expect(new Map(revived as Caseload)).toEqual(MAP);
    expect(revived.get('012345672')).toEqual(MAP.get('012345672'));
    const plain = new Map(MAP);
    expect(Caseload.revive(plain)).toBe(plain);
    expect(Caseload.revive(undefined)).toBeUndefined();
  });

  it('hands out its periods from its columns as a map of them hands them out (forEachCasePeriod)', () => {
    const visits = (cases: ReadonlyMap<string, readonly CasePeriod[]>) => {
      const seen: unknown[][] = [];
      forEachCasePeriod(cases, (...visit) => seen.push(visit));
      return seen;
    };
    const caseload = Caseload.fromMap(MAP);
    expect(visits(caseload)).toEqual(visits(MAP));
    expect(visits(Caseload.revive(structuredClone(caseload)) as Caseload)).toEqual(visits(MAP));
    expect(visits(MAP)).toEqual([
      [111222333, true, 20_000, 20_100, 'Inkomen', null],
      [111222333, false, 20_200, null, 'Handhaving', 'jansen'],
      [12345672, true, 19_000, null, null, null],
      [123456782, true, -5, 3, 'Inkomen', 'Inkomen'],
    ]);
  });

  it('is built from rows as they come, BSNs in order of first appearance, each BSN\'s periods in the order they came', () => {
    const builder = new CaseloadBuilder();
    // The rows of MAP, a BSN's periods apart from each other.
    builder.add(111222333, 'Z-1', 'Inkomen', null, 20_000, 20_100);
    builder.add(12345672, null, null, null, 19_000, null);
    builder.add(123456782, 'Z-3', 'Inkomen', 'Inkomen', -5, 3);
    builder.add(111222333, 'Z-2', 'Handhaving', 'jansen', 20_200, null);
    const built = builder.build();
    const withPeriods = new Map([...MAP].filter(([, periods]) => periods.length > 0));
    expect(new Map(built)).toEqual(withPeriods);
    expect([...built.keys()]).toEqual(['111222333', '012345672', '123456782']);
    expect(built.columns.firstPeriods).toEqual(Int32Array.from([0, 2, 3, 4]));
  });

  it('refuses keys that are no normalised BSN, which a number cannot give back', () => {
    expect(() => Caseload.fromMap(new Map([['12345672', [period(0, null)]]]))).toThrow(/not a normalised BSN/);
  });
});

describe('BsnTable', () => {
  it('gives what a Map gives, for every BSN set and asked, also when probes collide', () => {
    // Deterministic pseudo-random BSN-like numbers, and a small table so that slots collide often.
    let seed = 42;
    const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) % 999_999_999 + 1;
    const map = new Map<number, number>();
    const table = new BsnTable(500);
    for (let index = 0; index < 500; index++) {
      const bsn = next();
      map.set(bsn, index);
      table.set(bsn, index);
    }
    for (const [bsn, value] of map) expect(table.get(bsn)).toBe(value);
    for (let index = 0; index < 2000; index++) {
      const bsn = next();
      expect(table.get(bsn)).toBe(map.get(bsn) ?? -1);
    }
    // touch reads the slot where a BSN's probe starts: its own when it did not collide, else another BSN
    // (an occupied slot), never anything but a BSN or an empty slot.
    const bsns = new Set(map.keys());
    let own = 0;
    for (const bsn of map.keys()) {
      const touched = table.touch(bsn);
      expect(touched === 0 || bsns.has(touched), String(bsn)).toBe(true);
      if (touched === bsn) own++;
    }
    expect(own).toBeGreaterThan(250);
    expect(own).toBeLessThan(500);
  });

  it('keeps several values per BSN side by side, apart from those of every other BSN', () => {
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) % 999_999_999 + 1;
    const map = new Map<number, number[]>();
    const table = new BsnTable(300, 3);
    for (let index = 0; index < 300; index++) {
      const bsn = next();
      const values = [index, 2 * index, -index - 1];
      map.set(bsn, values);
      table.values.set(values, table.claim(bsn));
    }
    for (const [bsn, values] of map) {
      const at = table.find(bsn);
      expect([...table.values.subarray(at, at + 3)]).toEqual(values);
      expect(table.get(bsn)).toBe(values[0]);
    }
    for (let index = 0; index < 1000; index++) {
      const bsn = next();
      if (!map.has(bsn)) expect(table.find(bsn)).toBe(-1);
    }
    expect(() => new BsnTable(10, 8)).toThrow(RangeError);
  });
});

describe('BsnNumbering', () => {
  it('numbers as Numbering does with a Map, BSN 0 and negative numbers included, as its table grows', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 3000;
    // A table with room for 4 at first grows by four, four times, over 1,500 or so distinct values.
    const numbering = new BsnNumbering(4);
    const map = new Map<number, number>();
    for (let index = 0; index < 20_000; index++) {
      const value = index % 11 === 0 ? 0 : index % 7 === 0 ? -next() : next();
      if (!map.has(value)) map.set(value, map.size);
      expect(numbering.numberOf(value)).toBe(map.get(value));
    }
    expect(numbering.keys).toEqual([...map.keys()]);
    for (const [value, number] of map) expect(numbering.get(value)).toBe(number);
    expect(numbering.get(3001)).toBe(-1);
    expect(new BsnNumbering().get(0)).toBe(-1);
  });
});

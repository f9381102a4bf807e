/**
 * Settling: windowed rules whose findings never span a quiet gap are finished while the input is read and
 * their lookups let go (RuleRunner.settleWindows), so that memory does not grow with the month. The
 * findings must be those of the whole month whatever the order of the lines: lines that arrive late near
 * settled lookups bring them back from the spill file.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import bulkLookups from '../../rules/bulk-lookups.js';
import concurrentSessions from '../../rules/concurrent-sessions.js';
import { prng } from '../../fixtures/prng.js';
import { planRules, RuleRunner, sortRawFindings, type RulePartial } from '../../src/rule-api/runner.js';
import { Spill } from '../../src/rule-api/spill.js';
import { appendTimed, compactTimed, SETTLE_MINIMUM, splitTimed, timedLookups, type TimedLookups } from '../../src/rule-api/timed.js';
import type { Lookup } from '../../src/rule-api/types.js';
import { Calendar } from '../../src/time/calendar.js';

const MINUTE = 60_000;
const START = Date.parse('2026-04-06T06:00:00Z');

function stateOf(times: readonly number[]): TimedLookups {
  const state = timedLookups(['number']);
  times.forEach((time, index) => appendTimed(state, { time, source: 0, line: index + 1 } as Lookup, 1000 + index));
  compactTimed(state);
  return state;
}

describe('splitTimed', () => {
  const quiet = 10 * MINUTE;
  const times = [0, 1, 2, 20, 21, 40, 41].map((minute) => START + minute * MINUTE);

  const cases: Array<[name: string, until: number, settled: number[] | null]> = [
    ['nothing lies quiet before until', START + 5 * MINUTE, null],
    ['the lookups before the first gap, once until is quiet after them', START + 12 * MINUTE, [0, 1, 2]],
    ['not a lookup closer than quiet to until', START + 30 * MINUTE, [0, 1, 2]],
    ['up to the last gap before until − quiet', START + 31 * MINUTE, [0, 1, 2, 20, 21]],
    ['everything, when all lies quiet before until', START + 60 * MINUTE, [0, 1, 2, 20, 21, 40, 41]],
  ];
  for (const [name, until, settled] of cases) {
    it(`settles ${name}`, () => {
      const parts = splitTimed(stateOf(times), quiet, until, 1);
      if (settled === null) {
        expect(parts).toBeNull();
        return;
      }
      const minutes = (state: TimedLookups) => [...state.times.subarray(0, state.length)].map((time) => (time - START) / MINUTE);
      expect(minutes(parts!.settled)).toEqual(settled);
      expect(parts!.rest === null ? [] : minutes(parts!.rest)).toEqual([0, 1, 2, 20, 21, 40, 41].filter((minute) => !settled.includes(minute)));
      expect([parts!.first, parts!.last]).toEqual([START + settled[0]! * MINUTE, START + settled.at(-1)! * MINUTE]);
    });
  }

  it('splits off no fewer lookups than its minimum: they would not repay their bookkeeping', () => {
    expect(splitTimed(stateOf(times), quiet, START + 60 * MINUTE, 8)).toBeNull();
    expect(splitTimed(stateOf(times), quiet, START + 31 * MINUTE, 6)).toBeNull();
    expect(splitTimed(stateOf(times), quiet, START + 31 * MINUTE, 5)!.settled.length).toBe(5);
    expect(SETTLE_MINIMUM).toBeGreaterThanOrEqual(50);
  });

  it('keeps tags and positions with their lookups when the lines were out of time order', () => {
    const shuffled = [41, 2, 20, 0, 40, 1, 21].map((minute) => START + minute * MINUTE);
    const parts = splitTimed(stateOf(shuffled), quiet, START + 31 * MINUTE, 1)!;
    const { settled } = parts;
    expect([...settled.times.subarray(0, settled.length)].map((time) => (time - START) / MINUTE)).toEqual([0, 1, 2, 20, 21]);
    // Tag and line of each lookup as appended: 1000 + index, index + 1.
    expect([...settled.tags[0]!.subarray(0, settled.length)]).toEqual([1003, 1005, 1001, 1002, 1006]);
    expect([...settled.positions.subarray(0, settled.length)]).toEqual([4, 6, 2, 3, 7]);
    expect([...parts.rest!.tags[0]!.subarray(0, parts.rest!.length)]).toEqual([1004, 1000]);
  });

  it('orders lookups of one instant by their position, whatever the order they were added in', () => {
    const state = timedLookups(['number']);
    const add = (minute: number, line: number) => appendTimed(state, { time: START + minute * MINUTE, source: 0, line } as Lookup, line);
    add(0, 5);
    add(0, 3);
    add(1, 9);
    add(40, 8);
    compactTimed(state);
    const parts = splitTimed(state, quiet, START + 31 * MINUTE, 1)!;
    expect([...parts.settled.positions.subarray(0, parts.settled.length)]).toEqual([3, 5, 9]);
    expect([...parts.settled.tags[0]!.subarray(0, parts.settled.length)]).toEqual([3, 5, 9]);
  });
});

describe('Spill', () => {
  it('gives back what was put, typed arrays (views of larger buffers too) and the rest, and removes its private file', () => {
    const spill = new Spill();
    expect(spill.ready()).toBe(true);
    const buffer = new Float64Array([1, 2, 3, 4, 5]);
    const value = { length: 3, times: buffer.subarray(1, 4), tags: [new Int32Array([7, -1, 9])], names: ['s1'], merged: [], adding: null };
    const first = spill.put(value);
    const second = spill.put({ lines: new Uint16Array([65535, 1]) });
    spill.flush();
    const file = spill.path!;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    expect(statSync(file).size).toBe(3 * 8 + 3 * 4 + 2 * 2);
    expect(spill.take(second)).toEqual({ lines: new Uint16Array([65535, 1]) });
    expect(spill.take(first)).toEqual({ ...value, times: new Float64Array([2, 3, 4]) });
    spill.close();
    expect(existsSync(dirname(file))).toBe(false);
  });

  it('writes more columns at once than one system call takes (IOV_MAX, 1024), over several flushes', () => {
    const spill = new Spill();
    expect(spill.ready()).toBe(true);
    const column = (seed: number) => Int32Array.from({ length: 1 + (seed % 7) }, (_, index) => seed * 10 + index);
    const places = Array.from({ length: 2500 }, (_, seed) => spill.put({ seed, values: column(seed) }));
    spill.flush();
    const later = spill.put({ values: column(9999) });
    spill.flush();
    for (const seed of [0, 1023, 1024, 1500, 2499]) expect(spill.take(places[seed]!)).toEqual({ seed, values: column(seed) });
    expect(spill.take(later)).toEqual({ values: column(9999) });
    spill.close();
  });

  it('makes its private folder in the parent it is given (the staging folder of a run)', () => {
    const parent = mkdtempSync(join(tmpdir(), 'spill-parent-'));
    try {
      const spill = new Spill(parent);
      expect(spill.ready()).toBe(true);
      expect(dirname(dirname(spill.path!))).toBe(parent);
      expect(basename(dirname(spill.path!))).toMatch(/^\.settled-windows-/);
      spill.close();
      expect(readdirSync(parent)).toEqual([]);
      // A parent that cannot be written to: nothing is spilled, and so nothing is settled.
      expect(new Spill(join(parent, 'missing')).ready()).toBe(false);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

/** Lookups of a few users over two weeks of office days, with bursts, interleaved sessions and quiet nights. */
function month(random: () => number): Lookup[] {
  const lookups: Lookup[] = [];
  let line = 0;
  for (let day = 0; day < 14; day++) {
    for (let at = 0; at < 400; at++) {
      const user = `u${Math.floor(random() * 4)}`;
      // Office hours, with a few lookups in the evening; user u0 works in spurts of about 25 in 10 minutes.
      const minute = random() < 0.05 ? 600 + random() * 300 : user === 'u0' ? Math.floor(at / 100) * 120 + (at % 10) : random() * 540;
      const session = `${user}-${day}-${random() < 0.1 ? 'b' : 'a'}`;
      lookups.push({
        time: START + day * 86_400_000 + Math.floor(minute * MINUTE),
        user,
        bsn: String(100000000 + Math.floor(random() * 50)),
        session,
        page: null,
        source: 0,
        line: ++line,
        layout: 'classic',
      } as unknown as Lookup);
    }
  }
  return lookups.sort((a, b) => a.time - b.time || a.line - b.line);
}

function runnerFor(): RuleRunner {
  const calendar = new Calendar({ timezone: 'Europe/Amsterdam' });
  const options = { 'bulk-lookups': { threshold: 15, timespan: '30m' }, 'concurrent-sessions': { timespan: '10m' } };
  const plan = planRules([bulkLookups, concurrentSessions], { reference: {}, calendar, options });
  return new RuleRunner(plan.active, calendar);
}

/** Chunks of lookups in the order given, merged as the engine does, settling after each when asked. */
function findingsOf(chunks: readonly Lookup[][], settle: boolean, lag = 3_600_000, folder?: string) {
  const runner = runnerFor();
  const total = runner.createPartial();
  let settlement: RulePartial['settlement'];
  for (const chunk of chunks) {
    const partial = runner.createPartial();
    for (const lookup of chunk) runner.add(partial, lookup);
    runner.compact(partial);
    const earliest = chunk.length === 0 ? null : Math.min(...chunk.map((lookup) => lookup.time));
    runner.merge(total, structuredClone(partial), earliest);
    if (settle && earliest !== null) runner.settleWindows(total, earliest - lag, { folder });
    settlement = total.settlement;
  }
  const settled = settlement?.settled.map((keys) => [...keys.values()].reduce((sum, list) => sum + list.length, 0)) ?? [];
  const broughtBack = settlement?.broughtBack ?? [];
  const waited = settlement?.lag ?? [];
  const spill = settlement?.spill.path ?? null;
  return { findings: sortRawFindings(runner.finish(total)), settled, broughtBack, lag: waited, spill };
}

function chunked(lookups: readonly Lookup[], size: number): Lookup[][] {
  const chunks: Lookup[][] = [];
  for (let at = 0; at < lookups.length; at += size) chunks.push(lookups.slice(at, at + size));
  return chunks;
}

describe('RuleRunner.settleWindows', () => {
  const lookups = month(prng(7));
  const whole = findingsOf([lookups], false);

  it('the month has findings of both rules to compare', () => {
    expect(whole.findings.filter((finding) => finding.rule === 'bulk-lookups').length).toBeGreaterThan(10);
    expect(whole.findings.filter((finding) => finding.rule === 'concurrent-sessions').length).toBeGreaterThan(10);
  });

  for (const size of [97, 400, 1500]) {
    it(`finds the same in lines in time order, settling as it goes (chunks of ${size})`, () => {
      const run = findingsOf(chunked(lookups, size), true);
      expect(run.findings).toEqual(whole.findings);
      // Days were settled, and nothing had to come back.
      expect(run.settled[0]).toBeGreaterThan(size < 1500 ? 20 : 5);
      expect(run.settled[1]).toBeGreaterThan(size < 1500 ? 10 : 5);
      expect(run.broughtBack).toEqual([0, 0]);
      // The spill file is gone after the finish.
      expect(run.spill).not.toBeNull();
      expect(existsSync(dirname(run.spill!))).toBe(false);
    });
  }

  it('lets nothing go when the spill file cannot be made, and finds the same', () => {
    const run = findingsOf(chunked(lookups, 400), true, 3_600_000, join(tmpdir(), 'no-such-folder', 'staging'));
    expect(run.findings).toEqual(whole.findings);
    expect(run.settled).toEqual([0, 0]);
  });

  it('finds the same when lines arrive late near settled lookups (the second week first): they come back', () => {
    const secondWeekFirst = [...lookups.slice(lookups.length / 2), ...lookups.slice(0, lookups.length / 2)];
    // The week boundary falls on a Sunday: move the halves so that they meet within a working day.
    const cut = lookups.length / 2 + 150;
    const overlapping = [...lookups.slice(cut), ...lookups.slice(0, cut)];
    for (const order of [secondWeekFirst, overlapping]) {
      const run = findingsOf(chunked(order, 200), true);
      expect(run.findings).toEqual(whole.findings);
    }
    const run = findingsOf(chunked(overlapping, 200), true);
    expect(run.broughtBack[0]).toBeGreaterThan(0);
    expect(run.broughtBack[1]).toBeGreaterThan(0);
  });

  it('waits longer once lines came late, and goes on settling: a few lines a day late', () => {
    const random = prng(13);
    const hour = 3_600_000;
    // One line in 400 is filed a day or so after its time, as by a server that sent part of its log late.
    // (Lines late in every chunk hold back its earliest line, and with it what is settled.)
    const filed = new Map(lookups.map((lookup, index) => [lookup, lookup.time + (index % 400 === 7 ? (20 + 10 * random()) * hour : 0)]));
    const late = [...lookups].sort((a, b) => filed.get(a)! - filed.get(b)! || a.line - b.line);
    const run = findingsOf(chunked(late, 100), true);
    expect(run.findings).toEqual(whole.findings);
    expect(run.broughtBack[0]).toBeGreaterThan(0);
    // The rule's lag grew (twice how far before the last pass the late lines lay), and settling went on.
    expect(run.lag[0]).toBeGreaterThan(2 * hour);
    expect(run.lag[0]).toBeLessThan(24 * hour);
    expect(run.settled[0]).toBeGreaterThan(20);
  });

  it('finds the same with lines shuffled within minutes, and with a lag of nothing', () => {
    const random = prng(11);
    const late = new Map(lookups.map((lookup) => [lookup, lookup.time + random() * 20 * MINUTE]));
    const shuffled = [...lookups].sort((a, b) => late.get(a)! - late.get(b)!);
    for (const lag of [0, 3_600_000]) expect(findingsOf(chunked(shuffled, 300), true, lag).findings).toEqual(whole.findings);
  });
});

import { bsnNumber } from '../rule-api/bsn.js';
import { TypedArrayPool } from '../rule-api/typed-pool.js';
import type { Lookup } from '../rule-api/types.js';
import type { Calendar } from '../time/calendar.js';
import { formatDay } from '../time/civil.js';

/**
 * BKWI-style indicators, so that users recognise their monthly report: lookups per user, page and role,
 * searches without a BSN, and the BSNs most users looked up. Built per chunk like the rules' partial states
 * (plain data, typed arrays where it is large) and merged in input order; the result does not depend on how
 * the input was split.
 */
export interface IndicatorPartial {
  lookups: number;
  /** Lookups without a BSN: searches by name, postcode, licence plate… */
  nonBsn: number;
  /** Per user: [lookups, lookups without BSN]. */
  users: Map<string, [number, number]>;
  pages: Map<string, number>;
  /** Per role: the users who used it (sorted, unique). */
  roles: Map<string, string[]>;
  /** Lookups per local hour of the week: index (ISO weekday − 1) × 24 + hour. */
  hourOfWeek: number[];
  /** Per local day (day number): [lookups, lookups the off-hours rule flagged]. */
  days: Map<number, [number, number]>;
  /** Per user: the BSNs (as numbers) they looked up; `values` beyond `length` is spare room. */
  bsnsByUser: Map<string, { values: Int32Array; length: number }>;
}

export function emptyIndicators(): IndicatorPartial {
  return {
    lookups: 0,
    nonBsn: 0,
    hourOfWeek: new Array<number>(168).fill(0),
    days: new Map(),
    users: new Map(),
    pages: new Map(),
    roles: new Map(),
    bsnsByUser: new Map(),
  };
}

/** One user's share of a chunk, while it is being read. */
interface UserTally {
  lookups: number;
  nonBsn: number;
  /** The BSNs so far, `bsnCount` of them, in an array of the thread's pool (see TypedArrayPool). */
  bsns: Int32Array | null;
  bsnCount: number;
  /** Role lists are interned by the parsers: the same list is the same array, so a Set of them stays tiny. */
  roleLists: Set<readonly string[]>;
  /** The list last added, which the next lookup of the user mostly has too. */
  lastRoles: readonly string[] | null;
}

/** The thread's arrays for users' BSNs while a chunk is read. */
const bsnArrays = new TypedArrayPool<Int32Array>((length) => new Int32Array(length));

/** Collects one chunk's indicators; `finish` turns them into the plain partial that leaves the worker. */
export class IndicatorCollector {
  private readonly tallies = new Map<string, UserTally>();
  private lastUser: string | null = null;
  private last: UserTally | null = null;
  private lookups = 0;
  private nonBsn = 0;
  private readonly pages = new Map<string, number>();
  private readonly hourOfWeek = new Array<number>(168).fill(0);
  private readonly days = new Map<number, [number, number]>();
  /** The counts of the day last counted: lines come in runs of one day. */
  private dayNumber = NaN;
  private dayCounts: [number, number] = [0, 0];

  constructor(private readonly calendar: Calendar) {}

  /** Counts a lookup; `offHours` when the off-hours rule flagged it. */
  add(lookup: Lookup, offHours = false): void {
    this.lookups++;
    const local = this.calendar.localParts(lookup.time);
    this.hourOfWeek[(local.weekday - 1) * 24 + Math.floor(local.minuteOfDay / 60)]!++;
    if (local.day !== this.dayNumber) {
      let counts = this.days.get(local.day);
      if (counts === undefined) {
        counts = [0, 0];
        this.days.set(local.day, counts);
      }
      this.dayNumber = local.day;
      this.dayCounts = counts;
    }
    this.dayCounts[0]++;
    if (offHours) this.dayCounts[1]++;
    let tally = this.last;
    if (lookup.user !== this.lastUser) {
      tally = this.tallies.get(lookup.user) ?? null;
      if (tally === null) {
        tally = { lookups: 0, nonBsn: 0, bsns: null, bsnCount: 0, roleLists: new Set(), lastRoles: null };
        this.tallies.set(lookup.user, tally);
      }
      this.lastUser = lookup.user;
      this.last = tally;
    }
    tally = tally!;
    tally.lookups++;
    if (lookup.bsn === null) {
      this.nonBsn++;
      tally.nonBsn++;
    } else {
      let bsns = (tally.bsns ??= bsnArrays.take(0));
      if (tally.bsnCount === bsns.length) bsns = tally.bsns = bsnArrays.grow(bsns, tally.bsnCount);
      bsns[tally.bsnCount++] = bsnNumber(lookup);
    }
    if (lookup.page !== null) this.pages.set(lookup.page, (this.pages.get(lookup.page) ?? 0) + 1);
    if (lookup.roles !== tally.lastRoles) {
      tally.roleLists.add(lookup.roles);
      tally.lastRoles = lookup.roles;
    }
  }

  finish(): IndicatorPartial {
    const partial = emptyIndicators();
    partial.lookups = this.lookups;
    partial.nonBsn = this.nonBsn;
    partial.pages = this.pages;
    partial.hourOfWeek = this.hourOfWeek;
    partial.days = this.days;
    const roleUsers = new Map<string, Set<string>>();
    for (const [user, tally] of this.tallies) {
      partial.users.set(user, [tally.lookups, tally.nonBsn]);
      if (tally.bsns !== null) {
        const values = uniqueSorted(tally.bsns.subarray(0, tally.bsnCount));
        partial.bsnsByUser.set(user, { values, length: values.length });
        bsnArrays.give(tally.bsns);
        tally.bsns = null;
      }
      for (const roles of tally.roleLists) {
        for (const role of roles) {
          let users = roleUsers.get(role);
          if (users === undefined) {
            users = new Set();
            roleUsers.set(role, users);
          }
          users.add(user);
        }
      }
    }
    for (const [role, users] of roleUsers) partial.roles.set(role, [...users].sort());
    return partial;
  }
}

/**
 * The BSNs (as numbers) one user looked up, in the main thread's total: an open-addressing hash set in one
 * typed array, doubled when half full. Each chunk's BSNs of the user are added as they come. A sorted list
 * that was appended to and sorted again whenever it was full took a second of the main thread for ten
 * million lookups, where the main thread is what the workers wait for. Not a BsnTable: that one has a fixed
 * size and marks an empty slot with BSN 0, which BKWI logs as the empty default and which is counted here.
 * Nor a BsnNumbering, which grows too and holds 0, but keeps a number per BSN and a list of them: three
 * times the memory, for a set per user that the main thread holds all month.
 */
export class BsnSet {
  /** -1 marks an empty slot: a BSN as a number is never negative. */
  private slots = new Int32Array(64).fill(-1);
  private shift = 32 - 6;
  size = 0;

  add(bsn: number): void {
    if (2 * (this.size + 1) > this.slots.length) this.grow();
    const mask = this.slots.length - 1;
    let at = Math.imul(bsn, 0x9e3779b1) >>> this.shift;
    for (let found = this.slots[at]!; found !== -1; found = this.slots[at]!) {
      if (found === bsn) return;
      at = (at + 1) & mask;
    }
    this.slots[at] = bsn;
    this.size++;
  }

  /** The BSNs, in no particular order. */
  *[Symbol.iterator](): IterableIterator<number> {
    for (const bsn of this.slots) if (bsn !== -1) yield bsn;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(2 * old.length).fill(-1);
    this.shift--;
    this.size = 0;
    for (const bsn of old) if (bsn !== -1) this.add(bsn);
  }
}

/** The distinct values, sorted (a copy; `values` are sorted in place). */
function uniqueSorted(values: Int32Array): Int32Array {
  const sorted = values.sort();
  let length = 0;
  for (let index = 0; index < sorted.length; index++) {
    if (index === 0 || sorted[index] !== sorted[index - 1]) sorted[length++] = sorted[index]!;
  }
  return sorted.slice(0, length);
}

/** The indicators of the run so far, in the main thread: a chunk's partial, with each user's BSNs as a set. */
export interface IndicatorTotal extends Omit<IndicatorPartial, 'bsnsByUser'> {
  bsnsByUser: Map<string, BsnSet>;
}

export function emptyTotal(): IndicatorTotal {
  return { ...emptyIndicators(), bsnsByUser: new Map() };
}

/** Folds a later partial into the total. */
export function mergeIndicators(into: IndicatorTotal, from: IndicatorPartial): void {
  into.lookups += from.lookups;
  into.nonBsn += from.nonBsn;
  for (let hour = 0; hour < 168; hour++) into.hourOfWeek[hour]! += from.hourOfWeek[hour]!;
  for (const [day, [lookups, offHours]] of from.days) {
    const counts = into.days.get(day);
    if (counts) {
      counts[0] += lookups;
      counts[1] += offHours;
    } else {
      into.days.set(day, [lookups, offHours]);
    }
  }
  for (const [user, [lookups, nonBsn]] of from.users) {
    const counts = into.users.get(user);
    if (counts) {
      counts[0] += lookups;
      counts[1] += nonBsn;
    } else {
      into.users.set(user, [lookups, nonBsn]);
    }
  }
  for (const [page, lookups] of from.pages) into.pages.set(page, (into.pages.get(page) ?? 0) + lookups);
  for (const [role, users] of from.roles) {
    const known = into.roles.get(role);
    into.roles.set(role, known ? [...new Set([...known, ...users])].sort() : users);
  }
  for (const [user, bsns] of from.bsnsByUser) {
    let known = into.bsnsByUser.get(user);
    if (known === undefined) into.bsnsByUser.set(user, (known = new BsnSet()));
    for (let at = 0; at < bsns.length; at++) known.add(bsns.values[at]!);
  }
}

export interface Indicators {
  lookups: number;
  users: number;
  /** Share of lookups flagged by the off-hours rule; null when it did not run. */
  offHoursShare: number | null;
  nonBsnShare: number;
  /** Share of users who made at least one search without a BSN. */
  nonBsnUserShare: number;
  topUsers: Array<{ user: string; lookups: number }>;
  /** Every user's lookups (most first): for the report's comparison with peers, not for summary.json. */
  lookupsPerUser: Array<{ user: string; lookups: number }>;
  topBsns: Array<{ bsn: string; users: number }>;
  lookupsPerPage: Array<{ page: string; lookups: number }>;
  usersPerRole: Array<{ role: string; users: number }>;
  /** Lookups per local hour of the week, Monday 00:00 first. */
  lookupsByHourOfWeek: number[];
  lookupsPerDay: Array<{ date: string; lookups: number; offHours: number }>;
}

const TOP = 10;

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : Number((part / whole).toFixed(6));
}

function byCountThenName<T>(count: (item: T) => number, name: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => count(b) - count(a) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
}

/**
 * The `count` BSNs that the most users looked up, most first, then by BSN (nine digits: in the order of
 * their numbers). Picked in one pass: an object and a text for every BSN of the month, sorted, took 50–80 ms
 * for 45,000 BSNs (18 the first time in one pass, 4 once compiled), at the end of a run, when the workers
 * have nothing left to do.
 */
export function topBsnsOf(usersPerBsn: ReadonlyMap<number, number>, count: number): Array<{ bsn: string; users: number }> {
  /** [BSN, users], best first. */
  const top: Array<[number, number]> = [];
  if (count <= 0) return [];
  const before = (bsn: number, users: number, other: [number, number]) => users > other[1] || (users === other[1] && bsn < other[0]);
  for (const [bsn, users] of usersPerBsn) {
    if (top.length === count && !before(bsn, users, top[count - 1]!)) continue;
    let at = top.length;
    while (at > 0 && before(bsn, users, top[at - 1]!)) at--;
    top.splice(at, 0, [bsn, users]);
    if (top.length > count) top.pop();
  }
  return top.map(([bsn, users]) => ({ bsn: String(bsn).padStart(9, '0'), users }));
}

/** The indicators of the whole run. BSNs in `topBsns` are full: the summary masks them where needed. */
export function finishIndicators(partial: IndicatorTotal, offHoursFlagged: number | null): Indicators {
  const distinctUsers = new Map<number, number>();
  for (const bsns of partial.bsnsByUser.values()) {
    for (const bsn of bsns) distinctUsers.set(bsn, (distinctUsers.get(bsn) ?? 0) + 1);
  }
  const users = [...partial.users].map(([user, [lookups]]) => ({ user, lookups }));
  return {
    lookups: partial.lookups,
    users: partial.users.size,
    offHoursShare: offHoursFlagged === null ? null : share(offHoursFlagged, partial.lookups),
    nonBsnShare: share(partial.nonBsn, partial.lookups),
    nonBsnUserShare: share([...partial.users.values()].filter(([, nonBsn]) => nonBsn > 0).length, partial.users.size),
    topUsers: users.sort(byCountThenName((item) => item.lookups, (item) => item.user)).slice(0, TOP),
    lookupsPerUser: users,
    topBsns: topBsnsOf(distinctUsers, TOP),
    lookupsPerPage: [...partial.pages]
      .map(([page, lookups]) => ({ page, lookups }))
      .sort(byCountThenName((item) => item.lookups, (item) => item.page)),
    lookupsByHourOfWeek: partial.hourOfWeek,
    lookupsPerDay: [...partial.days]
      .sort((a, b) => a[0] - b[0])
      .map(([day, [lookups, offHours]]) => ({ date: formatDay(day), lookups, offHours })),
    usersPerRole: [...partial.roles]
      .map(([role, members]) => ({ role, users: members.length }))
      .sort(byCountThenName((item) => item.users, (item) => item.role)),
  };
}

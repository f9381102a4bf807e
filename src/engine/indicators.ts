import type { Lookup } from '../rule-api/types.js';

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
  /** Per user: the BSNs (as numbers) they looked up, unique within the partial. */
  bsnsByUser: Map<string, Int32Array>;
}

export function emptyIndicators(): IndicatorPartial {
  return { lookups: 0, nonBsn: 0, users: new Map(), pages: new Map(), roles: new Map(), bsnsByUser: new Map() };
}

/** Collects one chunk's indicators; `finish` turns them into the plain partial that leaves the worker. */
export class IndicatorCollector {
  private readonly partial = emptyIndicators();
  private readonly bsns = new Map<string, Set<number>>();
  private readonly roleUsers = new Map<string, Set<string>>();

  add(lookup: Lookup): void {
    const partial = this.partial;
    partial.lookups++;
    let user = partial.users.get(lookup.user);
    if (user === undefined) {
      user = [0, 0];
      partial.users.set(lookup.user, user);
    }
    user[0]++;
    if (lookup.bsn === null) {
      partial.nonBsn++;
      user[1]++;
    } else {
      let bsns = this.bsns.get(lookup.user);
      if (bsns === undefined) {
        bsns = new Set();
        this.bsns.set(lookup.user, bsns);
      }
      bsns.add(Number(lookup.bsn));
    }
    if (lookup.page !== null) partial.pages.set(lookup.page, (partial.pages.get(lookup.page) ?? 0) + 1);
    for (const role of lookup.roles) {
      let users = this.roleUsers.get(role);
      if (users === undefined) {
        users = new Set();
        this.roleUsers.set(role, users);
      }
      users.add(lookup.user);
    }
  }

  finish(): IndicatorPartial {
    for (const [user, bsns] of this.bsns) this.partial.bsnsByUser.set(user, Int32Array.from(bsns));
    for (const [role, users] of this.roleUsers) this.partial.roles.set(role, [...users].sort());
    return this.partial;
  }
}

function concat(into: Int32Array, from: Int32Array): Int32Array {
  const merged = new Int32Array(into.length + from.length);
  merged.set(into);
  merged.set(from, into.length);
  return merged;
}

/** Folds a later partial into an earlier one. */
export function mergeIndicators(into: IndicatorPartial, from: IndicatorPartial): void {
  into.lookups += from.lookups;
  into.nonBsn += from.nonBsn;
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
    const known = into.bsnsByUser.get(user);
    // Duplicates across partials are removed once, when the run is finished.
    into.bsnsByUser.set(user, known ? concat(known, bsns) : bsns);
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
  topBsns: Array<{ bsn: string; users: number }>;
  lookupsPerPage: Array<{ page: string; lookups: number }>;
  usersPerRole: Array<{ role: string; users: number }>;
}

const TOP = 10;

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : Number((part / whole).toFixed(6));
}

function byCountThenName<T>(count: (item: T) => number, name: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => count(b) - count(a) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
}

/** The indicators of the whole run. BSNs in `topBsns` are full: the summary masks them where needed. */
export function finishIndicators(partial: IndicatorPartial, offHoursFlagged: number | null): Indicators {
  const distinctUsers = new Map<number, number>();
  for (const bsns of partial.bsnsByUser.values()) {
    const sorted = Int32Array.from(bsns).sort();
    for (let index = 0; index < sorted.length; index++) {
      if (index > 0 && sorted[index] === sorted[index - 1]) continue;
      distinctUsers.set(sorted[index]!, (distinctUsers.get(sorted[index]!) ?? 0) + 1);
    }
  }
  const users = [...partial.users].map(([user, [lookups]]) => ({ user, lookups }));
  return {
    lookups: partial.lookups,
    users: partial.users.size,
    offHoursShare: offHoursFlagged === null ? null : share(offHoursFlagged, partial.lookups),
    nonBsnShare: share(partial.nonBsn, partial.lookups),
    nonBsnUserShare: share([...partial.users.values()].filter(([, nonBsn]) => nonBsn > 0).length, partial.users.size),
    topUsers: users.sort(byCountThenName((item) => item.lookups, (item) => item.user)).slice(0, TOP),
    topBsns: [...distinctUsers]
      .map(([bsn, count]) => ({ bsn: String(bsn).padStart(9, '0'), users: count }))
      .sort(byCountThenName((item) => item.users, (item) => item.bsn))
      .slice(0, TOP),
    lookupsPerPage: [...partial.pages]
      .map(([page, lookups]) => ({ page, lookups }))
      .sort(byCountThenName((item) => item.lookups, (item) => item.page)),
    usersPerRole: [...partial.roles]
      .map(([role, members]) => ({ role, users: members.length }))
      .sort(byCountThenName((item) => item.users, (item) => item.role)),
  };
}

import { registerRowFor } from './register.js';
import type { RegisteredUser } from './types.js';

/**
 * Helpers for rules that compare an employee with their peers over a period (non-bsn-search,
 * volume-outlier) and name periods in messages (inactive-account).
 */

const FUNCTION_ROLE = /^FR\d+$/;

/** Whether a role is a function role (`FR0999001`): the role that says what someone does. */
export function isFunctionRole(role: string): boolean {
  return FUNCTION_ROLE.test(role);
}

const lowestFunctionRoles = new WeakMap<readonly string[], string>();

/**
 * The lowest function role of a role list, or '' when it has none. Remembered per list: the parsers share
 * one array per distinct list, so the roles are tested once per list, not for every lookup.
 */
export function functionRoleOf(roles: readonly string[]): string {
  let lowest = lowestFunctionRoles.get(roles);
  if (lowest === undefined) {
    lowest = '';
    for (const role of roles) if (isFunctionRole(role) && (lowest === '' || role < lowest)) lowest = role;
    lowestFunctionRoles.set(roles, lowest);
  }
  return lowest;
}

/** The lower of two function roles, '' counting as none: what a user's lines say they do, over a period. */
export function lowerFunctionRole(role: string, other: string): string {
  return role === '' || (other !== '' && other < role) ? other : role;
}

const MONTH_NAMES = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

/** `2026-04` as the team leader says it (`april 2026`); the whole run is `de geanalyseerde periode`. */
export function periodName(period: string): string {
  if (!/^\d{4}-\d{2}$/.test(period)) return 'de geanalyseerde periode';
  return `${MONTH_NAMES[Number(period.slice(5, 7)) - 1]} ${period.slice(0, 4)}`;
}

/** A number as Dutch text: a decimal comma, at most one decimal. */
export function dutchNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1).replace('.', ',');
}

/** The median of sorted values without one occurrence of `own` (which they hold). */
function medianWithout(sorted: readonly number[], own: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < own) low = middle + 1;
    else high = middle;
  }
  const at = (index: number) => sorted[index < low ? index : index + 1]!;
  const size = sorted.length - 1;
  return size % 2 === 1 ? at(size >> 1) : (at(size / 2 - 1) + at(size / 2)) / 2;
}

/** Who a user was compared with: the message to report, and the values of its placeholders. */
export interface Baseline {
  median: number;
  messageId: 'comparedWithTeam' | 'comparedWithRole' | 'comparedWithAll';
  data: Record<string, string | number>;
}

/**
 * What each user is compared with: the median of `value` over the other users of the same team in the
 * register, else over the other users with the same function role, else over everyone; a group of fewer
 * than `minPeers` other users is replaced by everyone. Null when there is nobody else.
 */
export function peerBaselines(
  users: Readonly<Record<string, { role: string }>>,
  value: (login: string) => number,
  register: ReadonlyMap<string, readonly RegisteredUser[]> | undefined,
  minPeers: number,
): (login: string) => Baseline | null {
  /** Sorted values per group: '' is everyone, `team\0<team>` and `role\0<role>` the others. */
  const groups = new Map<string, number[]>();
  const groupOf = new Map<string, string>();
  for (const login of Object.keys(users)) {
    // The same team as the worklists and the report give the login (its latest register row).
    const team = registerRowFor(register?.get(login))?.team ?? null;
    const { role } = users[login]!;
    const byTeam = team === null ? null : `team\0${team}`;
    const byRole = role === '' ? null : `role\0${role}`;
    groupOf.set(login, byTeam ?? byRole ?? '');
    for (const name of ['', byTeam, byRole]) {
      if (name === null) continue;
      const values = groups.get(name) ?? [];
      values.push(value(login));
      groups.set(name, values);
    }
  }
  for (const values of groups.values()) values.sort((a, b) => a - b);
  return (login) => {
    let group = groupOf.get(login)!;
    if (groups.get(group)!.length - 1 < minPeers) group = '';
    const values = groups.get(group)!;
    if (values.length < 2) return null;
    const median = medianWithout(values, value(login));
    const data = { peerCount: values.length - 1, peerMedian: dutchNumber(median) };
    const [kind, name] = group.split('\0');
    if (kind === 'team') return { median, messageId: 'comparedWithTeam', data: { ...data, team: name! } };
    if (kind === 'role') return { median, messageId: 'comparedWithRole', data: { ...data, role: name! } };
    return { median, messageId: 'comparedWithAll', data };
  };
}


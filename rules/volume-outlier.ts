/**
 * # volume-outlier
 *
 * ## What it finds
 * An employee who made far more lookups in a period than their peers: at least `minLookups`, and more than
 * `factor` × the median of the peers' counts. The period is the calendar month in local time (or the whole
 * run with `--period run`). Peers are the other users of the same team in the user register (`--users`),
 * else the other users with the same function role (`FR…`) on their log lines, else everyone; a group of
 * fewer than `minPeers` other users is replaced by all users. Only users with at least one lookup in the
 * period count as peers, so leavers and people on leave do not pull the median down. The median, not the
 * mean, so that one or two heavy users do not lift the bar for everyone. One finding per user and period,
 * without a BSN, with every lookup of the period as evidence.
 *
 * ## Why it matters
 * Data harvested for sale or for a private file shows as volume: not always in one burst (that is
 * `bulk-lookups`), often as a steady extra every day. BKWI's specific usage report lists the users with
 * the most lookups (table 1.1); comparing with the colleagues who do the same work separates a busy
 * intake desk from an employee who looks up far more than the work asks.
 *
 * ## Options
 * - `factor` (`3`): how many times the peers' median a user must exceed.
 * - `minLookups` (`500`): the least number of lookups in the period that can be reported.
 * - `minPeers` (`3`): the smallest group of other users to compare with; smaller groups are compared with
 *   all users.
 *
 * ## Example
 * `0280_bz_voorbeeld_sd deed in april 2026 1204 raadplegingen; de mediaan van de collega's in team
 * burgerzaken (3) is 344 (drempel: ten minste 500 en meer dan 3 × de mediaan)`
 */
import { defineRule, type EvidenceRef, type Lookup, type RegisteredUser } from '../src/rule-api/index.js';

export interface VolumeOutlierOptions {
  factor: number;
  minLookups: number;
  minPeers: number;
}

/** One user's lookups in the period: instants and evidence positions (`source · 2^32 + line`), in pairs. */
interface UserLookups {
  /** The smallest function role (`FR…`) on the user's lines, or '' when none. */
  role: string;
  lookups: number[];
}

/** Every user's lookups in one period, by login. */
interface PeriodLookups {
  users: Record<string, UserLookups>;
}

const POSITION_BASE = 2 ** 32;
const FUNCTION_ROLE = /^FR\d+$/;
const MONTH_NAMES = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

/** `2026-04` as the team leader says it (`april 2026`); the whole run is `de geanalyseerde periode`. */
function periodName(period: string): string {
  if (!/^\d{4}-\d{2}$/.test(period)) return 'de geanalyseerde periode';
  return `${MONTH_NAMES[Number(period.slice(5, 7)) - 1]} ${period.slice(0, 4)}`;
}

/** A number as Dutch text: a decimal comma, at most one decimal. */
function dutchNumber(value: number): string {
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

/** The team of a login's latest register row that names one. */
function registerTeam(rows: readonly RegisteredUser[] | undefined): string | null {
  let team: string | null = null;
  let start = -Infinity;
  for (const row of rows ?? []) {
    if (row.team !== null && (row.start ?? -Infinity) >= start) {
      team = row.team;
      start = row.start ?? -Infinity;
    }
  }
  return team;
}

/** Who a user was compared with: the message to report, and the values of its placeholders. */
interface Baseline {
  median: number;
  messageId: 'comparedWithTeam' | 'comparedWithRole' | 'comparedWithAll';
  data: Record<string, string | number>;
}

/**
 * What each user is compared with: the median of `value` over the other users of the same team in the
 * register, else over the other users with the same function role, else over everyone; a group of fewer
 * than `minPeers` other users is replaced by everyone. Null when there is nobody else.
 */
function peerBaselines(
  users: Readonly<Record<string, { role: string }>>,
  value: (login: string) => number,
  register: ReadonlyMap<string, readonly RegisteredUser[]> | undefined,
  minPeers: number,
): (login: string) => Baseline | null {
  /** Sorted values per group: '' is everyone, `team\0<team>` and `role\0<role>` the others. */
  const groups = new Map<string, number[]>();
  const groupOf = new Map<string, string>();
  for (const login of Object.keys(users)) {
    const team = registerTeam(register?.get(login));
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

export default defineRule<VolumeOutlierOptions, PeriodLookups>({
  meta: {
    id: 'volume-outlier',
    title: 'Veel meer raadplegingen dan collega\'s',
    severity: 'medium',
    basis: { kind: 'source', reference: 'BKWI specifieke gebruiksrapportage, tabel 1.1 (meeste raadplegingen per gebruiker)' },
    description:
      'A user whose lookups in the period number at least `minLookups` and exceed `factor` × the median of their peers (same team, else same function role, else all users).',
    options: {
      schema: {
        type: 'object',
        properties: {
          factor: { type: 'number', minimum: 1 },
          minLookups: { type: 'integer', minimum: 1 },
          minPeers: { type: 'integer', minimum: 1 },
        },
        additionalProperties: false,
      },
      defaults: { factor: 3, minLookups: 500, minPeers: 3 },
    },
    messages: {
      comparedWithTeam:
        "{{user}} deed in {{period}} {{count}} raadplegingen; de mediaan van de collega's in team {{team}} ({{peerCount}}) is {{peerMedian}} (drempel: ten minste {{minLookups}} en meer dan {{factor}} × de mediaan)",
      comparedWithRole:
        '{{user}} deed in {{period}} {{count}} raadplegingen; de mediaan van de andere gebruikers met functierol {{role}} ({{peerCount}}) is {{peerMedian}} (drempel: ten minste {{minLookups}} en meer dan {{factor}} × de mediaan)',
      comparedWithAll:
        '{{user}} deed in {{period}} {{count}} raadplegingen; de mediaan van alle andere gebruikers ({{peerCount}}) is {{peerMedian}} (drempel: ten minste {{minLookups}} en meer dan {{factor}} × de mediaan)',
    },
  },
  create({ options, reference, period }) {
    const { factor, minLookups, minPeers } = options;
    return {
      window: {
        key: (lookup: Lookup) => period(lookup.time),
        init: () => ({ users: {} }),
        add(state, lookup) {
          let user = Object.hasOwn(state.users, lookup.user) ? state.users[lookup.user]! : undefined;
          if (user === undefined) state.users[lookup.user] = user = { role: '', lookups: [] };
          for (const role of lookup.roles) {
            if (FUNCTION_ROLE.test(role) && (user.role === '' || role < user.role)) user.role = role;
          }
          user.lookups.push(lookup.time, lookup.source * POSITION_BASE + lookup.line);
        },
        merge(into, from) {
          for (const [login, user] of Object.entries(from.users)) {
            const existing = Object.hasOwn(into.users, login) ? into.users[login]! : undefined;
            if (existing === undefined) {
              into.users[login] = user;
              continue;
            }
            if (user.role !== '' && (existing.role === '' || user.role < existing.role)) existing.role = user.role;
            for (const value of user.lookups) existing.lookups.push(value);
          }
        },
        finish(periodKey, state, report) {
          const count = (login: string) => state.users[login]!.lookups.length / 2;
          const baseline = peerBaselines(state.users, count, reference.users, minPeers);
          for (const login of Object.keys(state.users).sort()) {
            if (count(login) < minLookups) continue;
            const peers = baseline(login);
            if (peers === null || count(login) <= factor * peers.median) continue;
            const { lookups } = state.users[login]!;
            const order = Array.from({ length: lookups.length / 2 }, (_, index) => index * 2);
            order.sort((a, b) => lookups[a]! - lookups[b]! || lookups[a + 1]! - lookups[b + 1]!);
            const evidence: EvidenceRef[] = order.map((at) => ({
              source: Math.floor(lookups[at + 1]! / POSITION_BASE),
              line: lookups[at + 1]! % POSITION_BASE,
            }));
            report({
              messageId: peers.messageId,
              user: login,
              bsn: null,
              from: lookups[order[0]!]!,
              to: lookups[order[order.length - 1]!]!,
              count: evidence.length,
              evidence,
              data: {
                ...peers.data,
                period: periodName(periodKey),
                minLookups,
                factor: dutchNumber(factor),
              },
            });
          }
        },
      },
    };
  },
});

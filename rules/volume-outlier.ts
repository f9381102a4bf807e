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
import { comesBefore, defineRule, dutchNumber, functionRoleOf, lowerFunctionRole, packPosition, peerBaselines, periodName, unpackPosition, type EvidenceRef, type Lookup } from '../src/rule-api/index.js';

export interface VolumeOutlierOptions {
  factor: number;
  minLookups: number;
  minPeers: number;
}

/** The evidence a finding shows: its first lookups. */
const EVIDENCE_KEPT = 100;

/**
 * One user's lookups in the period: the count, the last instant, and the earliest lookups as pairs of
 * instant and evidence position (`packPosition`), trimmed back to the EVIDENCE_KEPT smallest when a chunk
 * has 2 × EVIDENCE_KEPT and when merging goes past EVIDENCE_KEPT: keeping the smallest pairs is the same
 * whatever order the lookups arrive in.
 */
interface UserLookups {
  /** The smallest function role (`FR…`) on the user's lines, or '' when none. */
  role: string;
  count: number;
  last: number;
  earliest: number[];
  /**
   * Whether `earliest` is as a trim left it with EVIDENCE_KEPT pairs, in order, and holds only pairs before
   * the last of them after that: a later pair is never among the earliest, and is not kept at all. Lookups
   * mostly come in time order, so most are not; sorting them away 100 at a time was 0.3 µs a lookup.
   */
  full: boolean;
  /**
   * Whether every pair came after the one before (a chunk's lookups in time order, as logs mostly are): the
   * first EVIDENCE_KEPT pairs are then the earliest, as a trim would leave them, with no trim. A trim per user
   * per chunk (sorting 200 pairs, and its garbage) was 0.5 s of the 2 M v5 month's CPU time.
   */
  ordered: boolean;
}

/**
 * Keeps the EVIDENCE_KEPT smallest pairs, in order. It sorts the pairs' offsets, not pairs made into arrays of
 * their own: that made two hundred small arrays per user per merge, and garbage for the main thread to
 * collect (a second and more of it at two million lookups with every rule).
 */
function trim(user: UserLookups): void {
  const { earliest } = user;
  const order = Array.from({ length: earliest.length / 2 }, (_, index) => 2 * index);
  order.sort((a, b) => earliest[a]! - earliest[b]! || earliest[a + 1]! - earliest[b + 1]!);
  const kept = Math.min(order.length, EVIDENCE_KEPT);
  // Pushed, not written into `new Array(n)`: a holey array crosses to the main thread element by element,
  // several times slower than a packed one.
  const trimmed: number[] = [];
  for (let index = 0; index < kept; index++) trimmed.push(earliest[order[index]!]!, earliest[order[index]! + 1]!);
  user.earliest = trimmed;
  user.full = kept === EVIDENCE_KEPT;
}

/**
 * Adds another chunk's pairs to a user's earliest lookups, in the main thread. Once the user has
 * EVIDENCE_KEPT pairs, sorted, only pairs before the last of them can still be among the earliest: a chunk
 * without any is passed over, not copied and sorted. Later chunks mostly hold later lookups, so the merge
 * of a month copies little more than its first chunks; copying and trimming every chunk's pairs made
 * garbage for the main thread to collect.
 */
function addEarliest(user: UserLookups, pairs: readonly number[]): void {
  const { earliest } = user;
  const last = 2 * EVIDENCE_KEPT - 2;
  if (earliest.length === 2 * EVIDENCE_KEPT) {
    let sorted = true;
    for (let at = 2; at < earliest.length && sorted; at += 2) sorted = comesBefore(earliest[at - 2]!, earliest[at - 1]!, earliest, at);
    let earlier = false;
    for (let at = 0; at < pairs.length && !earlier; at += 2) earlier = comesBefore(pairs[at]!, pairs[at + 1]!, earliest, last);
    if (sorted && !earlier) return;
  }
  for (const value of pairs) earliest.push(value);
  if (earliest.length > 2 * EVIDENCE_KEPT) trim(user);
  else user.full = false;
}

/** Every user's lookups in one period, by login. */
interface PeriodLookups {
  users: Record<string, UserLookups>;
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
          if (user === undefined) state.users[lookup.user] = user = { role: '', count: 0, last: -Infinity, earliest: [], full: false, ordered: true };
          user.role = lowerFunctionRole(user.role, functionRoleOf(lookup.roles));
          user.count++;
          if (lookup.time > user.last) user.last = lookup.time;
          const position = packPosition(lookup);
          const { earliest } = user;
          if (user.full && !comesBefore(lookup.time, position, earliest, 2 * EVIDENCE_KEPT - 2)) return;
          if (user.ordered && earliest.length > 0 && comesBefore(lookup.time, position, earliest, earliest.length - 2)) user.ordered = false;
          earliest.push(lookup.time, position);
          if (user.ordered && earliest.length === 2 * EVIDENCE_KEPT) user.full = true;
          else if (earliest.length >= 4 * EVIDENCE_KEPT) trim(user);
        },
        // Only the earliest EVIDENCE_KEPT pairs of a user can ever be kept, so only those leave the worker: a
        // chunk ended with up to four times as many, 624 KB of the 2.5 MB a chunk's state took with every
        // rule, and a quarter of the time copying it to the main thread took.
        compact(state) {
          for (const user of Object.values(state.users)) if (user.earliest.length > 2 * EVIDENCE_KEPT) trim(user);
        },
        merge(into, from) {
          for (const [login, user] of Object.entries(from.users)) {
            const existing = Object.hasOwn(into.users, login) ? into.users[login]! : undefined;
            if (existing === undefined) {
              into.users[login] = user;
              continue;
            }
            existing.role = lowerFunctionRole(existing.role, user.role);
            existing.count += user.count;
            existing.last = Math.max(existing.last, user.last);
            addEarliest(existing, user.earliest);
          }
        },
        finish(periodKey, state, report) {
          const count = (login: string) => state.users[login]!.count;
          const baseline = peerBaselines(state.users, count, reference.users, minPeers);
          for (const login of Object.keys(state.users).sort()) {
            if (count(login) < minLookups) continue;
            const peers = baseline(login);
            if (peers === null || count(login) <= factor * peers.median) continue;
            const user = state.users[login]!;
            trim(user);
            const evidence: EvidenceRef[] = [];
            for (let at = 1; at < user.earliest.length; at += 2) evidence.push(unpackPosition(user.earliest[at]!));
            report({
              messageId: peers.messageId,
              user: login,
              bsn: null,
              from: user.earliest[0]!,
              to: user.last,
              count: user.count,
              evidence,
              evidenceTotal: user.count,
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

/**
 * # non-bsn-search
 *
 * ## What it finds
 * An employee who searched for people without a BSN far more often than their peers: by name and birth
 * date, postcode and house number, licence plate, parcel or any other search key, in a lookup that carries
 * no BSN. Reported per user and period when the user made at least `minCount` such searches and more than
 * `factor` × the median count of their peers. The period is the calendar month in local time (or the whole
 * run with `--period run`). Peers are the other users of the same team in the user register (`--users`),
 * else the other users with the same function role (`FR…`) on their log lines, else everyone; a group of
 * fewer than `minPeers` other users is replaced by all users. Every user with at least one lookup in the
 * period counts as a peer, also with no search without a BSN. The message lists the kinds of search key
 * used, most used first. One finding per user and period, without a BSN, with the searches as evidence.
 *
 * ## Why it matters
 * Casework starts from a client, and a client has a BSN. Searching by name, address or licence plate is
 * how someone finds a person they have no case for: an ex-partner, a neighbour, a debtor of a friend. BKWI
 * counts these searches separately in its usage report (table 2.1). Some work needs them (Burgerzaken, an
 * address check by handhaving), which is why the bar is the user's own peers.
 *
 * ## Options
 * - `minCount` (`20`): the least number of searches without a BSN in the period that can be reported.
 * - `factor` (`3`): how many times the peers' median a user must exceed.
 * - `minPeers` (`3`): the smallest group of other users to compare with; smaller groups are compared with
 *   all users.
 *
 * ## Example
 * `0147_gsd_voorbeeld_fa zocht in april 2026 24 keer zonder BSN, op Kenteken, Geboortedatum, Geslachtsnaam,
 * Huisnummer, Postcode; de mediaan van de collega's in team inkomen (5) is 0 (drempel: ten minste 20 en
 * meer dan 3 × de mediaan)`
 */
import { defineRule, dutchNumber, isBsnKey, functionRoleOf, lowerFunctionRole, packPosition, peerBaselines, periodName, unpackPosition, type EvidenceRef, type Lookup } from '../src/rule-api/index.js';

export interface NonBsnSearchOptions {
  minCount: number;
  factor: number;
  minPeers: number;
}

/** One user's searches without a BSN in the period (a user with lookups but no such search has none). */
interface UserSearches {
  /** The smallest function role (`FR…`) on the user's lines, or '' when none. */
  role: string;
  /** Per search without a BSN: its instant and evidence position (`source · 2^32 + line`), in pairs. */
  searches: number[];
  /** Searches per kind of key (`Postcode`, `Kenteken`). */
  keys: Record<string, number>;
}

/** Every user's counts in one period, by login. */
interface PeriodSearches {
  users: Record<string, UserSearches>;
}

/** The kinds of key a search without a BSN used (`Postcode`), or none when the lookup is not one. */
function searchKeyKinds(lookup: Lookup): string[] {
  if (lookup.bsn !== null) return [];
  const kinds: string[] = [];
  for (const [name, value] of Object.entries(lookup.searchKeys)) {
    const lower = name.trim().toLowerCase();
    if (lower === '' || value.trim() === '' || isBsnKey(lower)) continue;
    kinds.push(lower.charAt(0).toUpperCase() + lower.slice(1));
  }
  return kinds;
}

export default defineRule<NonBsnSearchOptions, PeriodSearches>({
  meta: {
    id: 'non-bsn-search',
    title: 'Zoeken zonder BSN',
    severity: 'medium',
    basis: { kind: 'source', reference: 'BKWI gebruiksrapportage, tabel 2.1 (zoekvragen op naam, geboortedatum, postcode, kenteken, perceel)' },
    description:
      'Per user and period: at least `minCount` searches without a BSN, and more than `factor` × the median of their peers (same team, else same function role, else all users).',
    options: {
      schema: {
        type: 'object',
        properties: {
          minCount: { type: 'integer', minimum: 1 },
          factor: { type: 'number', minimum: 1 },
          minPeers: { type: 'integer', minimum: 1 },
        },
        additionalProperties: false,
      },
      defaults: { minCount: 20, factor: 3, minPeers: 3 },
    },
    messages: {
      comparedWithTeam:
        "{{user}} zocht in {{period}} {{count}} keer zonder BSN, op {{keyTypes}}; de mediaan van de collega's in team {{team}} ({{peerCount}}) is {{peerMedian}} (drempel: ten minste {{minCount}} en meer dan {{factor}} × de mediaan)",
      comparedWithRole:
        '{{user}} zocht in {{period}} {{count}} keer zonder BSN, op {{keyTypes}}; de mediaan van de andere gebruikers met functierol {{role}} ({{peerCount}}) is {{peerMedian}} (drempel: ten minste {{minCount}} en meer dan {{factor}} × de mediaan)',
      comparedWithAll:
        '{{user}} zocht in {{period}} {{count}} keer zonder BSN, op {{keyTypes}}; de mediaan van alle andere gebruikers ({{peerCount}}) is {{peerMedian}} (drempel: ten minste {{minCount}} en meer dan {{factor}} × de mediaan)',
    },
  },
  create({ options, reference, period }) {
    const { minCount, factor, minPeers } = options;
    return {
      window: {
        key: (lookup: Lookup) => period(lookup.time),
        init: () => ({ users: {} }),
        add(state, lookup) {
          let user = Object.hasOwn(state.users, lookup.user) ? state.users[lookup.user]! : undefined;
          if (user === undefined) state.users[lookup.user] = user = { role: '', searches: [], keys: {} };
          user.role = lowerFunctionRole(user.role, functionRoleOf(lookup.roles));
          const kinds = searchKeyKinds(lookup);
          if (kinds.length === 0) return;
          user.searches.push(lookup.time, packPosition(lookup));
          for (const kind of kinds) user.keys[kind] = (Object.hasOwn(user.keys, kind) ? user.keys[kind]! : 0) + 1;
        },
        merge(into, from) {
          for (const [login, user] of Object.entries(from.users)) {
            const existing = Object.hasOwn(into.users, login) ? into.users[login]! : undefined;
            if (existing === undefined) {
              into.users[login] = user;
              continue;
            }
            existing.role = lowerFunctionRole(existing.role, user.role);
            for (const value of user.searches) existing.searches.push(value);
            for (const [kind, count] of Object.entries(user.keys)) {
              existing.keys[kind] = (Object.hasOwn(existing.keys, kind) ? existing.keys[kind]! : 0) + count;
            }
          }
        },
        finish(periodKey, state, report) {
          const count = (login: string) => state.users[login]!.searches.length / 2;
          const baseline = peerBaselines(state.users, count, reference.users, minPeers);
          for (const login of Object.keys(state.users).sort()) {
            if (count(login) < minCount) continue;
            const peers = baseline(login);
            if (peers === null || count(login) <= factor * peers.median) continue;
            const { searches, keys } = state.users[login]!;
            const order = Array.from({ length: searches.length / 2 }, (_, index) => index * 2);
            order.sort((a, b) => searches[a]! - searches[b]! || searches[a + 1]! - searches[b + 1]!);
            const evidence: EvidenceRef[] = order.map((at) => (unpackPosition(searches[at + 1]!)));
            const kinds = Object.keys(keys).sort((a, b) => keys[b]! - keys[a]! || (a < b ? -1 : a > b ? 1 : 0));
            report({
              messageId: peers.messageId,
              user: login,
              bsn: null,
              from: searches[order[0]!]!,
              to: searches[order[order.length - 1]!]!,
              count: evidence.length,
              evidence,
              data: {
                ...peers.data,
                period: periodName(periodKey),
                keyTypes: kinds.join(', '),
                minCount,
                factor: dutchNumber(factor),
              },
            });
          }
        },
      },
    };
  },
});

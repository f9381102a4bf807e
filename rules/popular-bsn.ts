/**
 * # popular-bsn
 *
 * ## What it finds
 * One citizen looked up by many employees in a short time: at least `distinctUsers` different logins that
 * looked up the same BSN inside a sliding window of `timespan`. Overlapping windows form one burst,
 * reported once per BSN and burst with the number of employees and lookups, from its first to its last
 * lookup; the message names the logins (the first twelve) in the order they first looked the person up.
 * The finding is about a citizen, not about one employee: its `user` is `*` and its `bsn` is set. Lines may
 * arrive out of time order: each BSN's lookups are sorted before the windows are counted.
 *
 * ## Why it matters
 * A case is handled by one or two employees, rarely by ten in a week. When many colleagues look up the
 * same person, the person is usually in the news, a neighbour, a relative of a colleague or otherwise
 * interesting: curiosity, not casework. BKWI's specific usage report lists the most consulted BSNs for
 * this reason.
 *
 * ## Options (Sigma correlation vocabulary: `value_count` of `user`, grouped by BSN)
 * - `distinctUsers` (`10`): different logins within the window that make a burst (`gte`).
 * - `timespan` (`"7d"`): window length (`30s`, `60m`, `1h`, `7d`); a window holds the lookups less than
 *   `timespan` after its first.
 *
 * ## Example
 * `BSN *****4317 werd van 2026-04-13 09:17 tot 2026-04-15 14:24 door 11 verschillende medewerkers
 * geraadpleegd (13 raadplegingen; drempel 10 medewerkers binnen 7d): 0072_gsd_voorbeeld_lv,
 * 0086_gsd_voorbeeld_jb, 0147_gsd_voorbeeld_fa, …`
 */
import { defineRule, forEachBurst, packPosition, parseTimespan, stringIndexer, TIMESPAN_SCHEMA, unpackPosition, valueCount, withCapacity, type EvidenceRef, type Lookup } from '../src/rule-api/index.js';

export interface PopularBsnOptions {
  distinctUsers: number;
  timespan: string;
}

/**
 * The lookups of the BSNs that end in the same two digits (a bucket), in compact typed arrays (24 bytes a
 * lookup; they cross thread boundaries as a memory copy): the BSN as a number, the instant, the evidence
 * position packed as `source · 2^32 + line`, and the login as an index into `logins`. A hundred buckets
 * instead of a state per BSN keep the partial states few and cheap to move and merge.
 */
interface BucketLookups {
  length: number;
  bsns: Int32Array;
  times: Float64Array;
  positions: Float64Array;
  users: Int32Array;
  logins: string[];
}

/** The message names at most this many logins (the number of users is in the message too). */
const LISTED_LOGINS = 12;
const BUCKETS = Array.from({ length: 100 }, (_, index) => String(index).padStart(2, '0'));

function withRoom(state: BucketLookups, extra: number): void {
  const needed = state.length + extra;
  if (needed <= state.times.length) return;
  state.bsns = withCapacity(state.bsns, state.length, needed);
  state.times = withCapacity(state.times, state.length, needed);
  state.positions = withCapacity(state.positions, state.length, needed);
  state.users = withCapacity(state.users, state.length, needed);
}

export default defineRule<PopularBsnOptions, BucketLookups>({
  meta: {
    id: 'popular-bsn',
    title: 'Veel geraadpleegd BSN',
    severity: 'medium',
    basis: { kind: 'source', reference: 'BKWI specifieke gebruiksrapportage (meest geraadpleegde BSN\'s)' },
    description:
      'One BSN looked up by at least `distinctUsers` different users within a sliding `timespan`; overlapping windows form one burst.',
    options: {
      schema: {
        type: 'object',
        properties: {
          distinctUsers: { type: 'integer', minimum: 2 },
          timespan: TIMESPAN_SCHEMA,
        },
        additionalProperties: false,
      },
      defaults: { distinctUsers: 10, timespan: '7d' },
    },
    messages: {
      popular:
        '{{citizen}} werd van {{date}} {{from}} tot {{lastDate}} {{to}} door {{userCount}} verschillende medewerkers geraadpleegd ({{count}} raadplegingen; drempel {{threshold}} medewerkers binnen {{timespan}}): {{logins}}',
    },
  },
  create({ options, calendar }) {
    const span = parseTimespan(options.timespan)!;
    const threshold = options.distinctUsers;
    const loginIndex = stringIndexer<BucketLookups>((state) => state.logins);
    return {
      window: {
        key: (lookup: Lookup) => (lookup.bsn === null ? null : BUCKETS[lookup.bsn.charCodeAt(7) * 10 + lookup.bsn.charCodeAt(8) - 528]!),
        init: () => ({
          length: 0,
          bsns: new Int32Array(0),
          times: new Float64Array(0),
          positions: new Float64Array(0),
          users: new Int32Array(0),
          logins: [],
        }),
        add(state, lookup) {
          withRoom(state, 1);
          state.bsns[state.length] = Number(lookup.bsn);
          state.times[state.length] = lookup.time;
          state.positions[state.length] = packPosition(lookup);
          state.users[state.length] = loginIndex(state, lookup.user);
          state.length++;
        },
        merge(into, from) {
          withRoom(into, from.length);
          into.bsns.set(from.bsns.subarray(0, from.length), into.length);
          into.times.set(from.times.subarray(0, from.length), into.length);
          into.positions.set(from.positions.subarray(0, from.length), into.length);
          const remap = from.logins.map((login) => loginIndex(into, login));
          for (let at = 0; at < from.length; at++) into.users[into.length + at] = remap[from.users[at]!]!;
          into.length += from.length;
        },
        finish(_bucket, state, report) {
          if (state.logins.length < threshold) return;
          const order = Array.from({ length: state.length }, (_, index) => index);
          order.sort(
            (a, b) => state.bsns[a]! - state.bsns[b]! || state.times[a]! - state.times[b]! || state.positions[a]! - state.positions[b]!,
          );
          const time = (position: number) => state.times[order[position]!]!;
          const login = (position: number) => state.users[order[position]!]!;
          const emit = (first: number, last: number) => {
            const evidence: EvidenceRef[] = [];
            const seen: number[] = [];
            for (let position = first; position <= last; position++) {
              const packed = state.positions[order[position]!]!;
              evidence.push(unpackPosition(packed));
              if (!seen.includes(login(position))) seen.push(login(position));
            }
            const names = seen.slice(0, LISTED_LOGINS).map((index) => state.logins[index]!);
            report({
              messageId: 'popular',
              user: '*',
              bsn: String(state.bsns[order[first]!]).padStart(9, '0'),
              from: time(first),
              to: time(last),
              count: evidence.length,
              evidence,
              data: {
                userCount: seen.length,
                lastDate: calendar.formatDate(time(last)),
                logins: seen.length > names.length ? `${names.join(', ')}, …` : names.join(', '),
                threshold,
                timespan: options.timespan,
              },
            });
          };
          // Per BSN (a run of the sorted lookups), the windows in which enough different logins looked it up.
          const distinctLogins = valueCount(login, state.logins.length);
          for (let runStart = 0, runEnd = 0; runStart < order.length; runStart = runEnd) {
            const bsn = state.bsns[order[runStart]!];
            while (runEnd < order.length && state.bsns[order[runEnd]!] === bsn) runEnd++;
            if (runEnd - runStart < threshold) continue;
            forEachBurst({ from: runStart, to: runEnd, time, span, threshold, measure: distinctLogins }, emit);
          }
        },
      },
    };
  },
});

/**
 * # concurrent-sessions
 *
 * ## What it finds
 * One login working in two (or more) web sessions at the same time: a lookup in one session, then one in
 * another, then one in the first again, the two lookups of the first session less than `timespan` apart.
 * A new session after a log-out or a time-out never goes back to the old one, so it is not reported;
 * sessions that alternate are. Overlapping or nearby interleavings (less than `timespan` apart) form one
 * episode, reported once per login and episode with the number of sessions and of lookups in it, from its
 * first to its last lookup, without a BSN. Needs a layout that logs the session (SI Classic, or a mapping
 * with a `session` field); lookups without a session are not judged.
 *
 * ## Why it matters
 * Two sessions in turn are two people, or one person in two browsers: the account is shared or its
 * password is known to someone else. Every lookup must be traceable to one employee; a shared account
 * makes the whole log of that login worthless as evidence.
 *
 * ## Options (Sigma correlation vocabulary: `value_count` of `session`, grouped by user)
 * - `timespan` (`"10m"`): how close the lookups of the interleaved sessions must be (`30s`, `10m`, `1h`).
 *
 * ## Example
 * `Account 0285_bz_voorbeeld_uw was op 2026-04-07 tussen 14:59 en 15:06 actief in 2 sessies tegelijk (6
 * raadplegingen, de sessies wisselden elkaar af binnen 10m); wordt het account gedeeld?`
 */
import {
  appendTimed,
  defineRule,
  parseTimespan,
  timedWindow,
  timeOrder,
  TIMESPAN_SCHEMA,
  unpackPosition,
  type EvidenceRef,
  type Lookup,
  type TimedLookups,
} from '../src/rule-api/index.js';

export interface ConcurrentSessionsOptions {
  timespan: string;
}

/**
 * One login's lookups with a session (14 bytes a lookup once merged): the instant, the evidence position,
 * and the session as its one tag; `names` holds only sessions.
 */
const SESSION = 0;

export default defineRule<ConcurrentSessionsOptions, TimedLookups>({
  meta: {
    id: 'concurrent-sessions',
    title: 'Gelijktijdige sessies van één account',
    severity: 'medium',
    basis: { kind: 'heuristic', reference: 'one login in alternating sessions is a shared account (every lookup must be traceable to one employee)' },
    description: 'One login whose lookups alternate between two or more sessions within `timespan`: a shared account.',
    options: {
      schema: {
        type: 'object',
        properties: { timespan: TIMESPAN_SCHEMA },
        additionalProperties: false,
      },
      defaults: { timespan: '10m' },
    },
    messages: {
      concurrent:
        'Account {{user}} was op {{date}} tussen {{from}} en {{to}} actief in {{sessions}} sessies tegelijk ({{count}} raadplegingen, de sessies wisselden elkaar af binnen {{timespan}}); wordt het account gedeeld?',
    },
  },
  create({ options }) {
    const span = parseTimespan(options.timespan)!;
    return {
      window: timedWindow(['name'], {
        key: (lookup: Lookup) => (lookup.session === null ? null : lookup.user),
        // Sessions interleave within `timespan`, and episodes chain only across less than that.
        quiet: span,
        add(state, lookup) {
          appendTimed(state, lookup, lookup.session);
        },
        finish(user, state, report) {
          if (state.names.length < 2) return;
          const order = timeOrder(state);
          const sessions = state.tags[SESSION]!;
          const time = (position: number) => state.times[order[position]!]!;
          const session = (position: number) => sessions[order[position]!]!;
          const emit = (first: number, last: number) => {
            const evidence: EvidenceRef[] = [];
            const sessions = new Set<number>();
            for (let position = first; position <= last; position++) {
              const packed = state.positions[order[position]!]!;
              evidence.push(unpackPosition(packed));
              sessions.add(session(position));
            }
            report({
              messageId: 'concurrent',
              user,
              bsn: null,
              from: time(first),
              to: time(last),
              count: evidence.length,
              evidence,
              data: { sessions: sessions.size, timespan: options.timespan },
            });
          };
          // A lookup whose session's previous lookup is less than `span` earlier, with another session's
          // lookup in between, shows the sessions interleaved from that previous lookup to this one.
          const previous = new Int32Array(state.names.length).fill(-1);
          let episodeFirst = -1;
          let episodeLast = -1;
          for (let position = 0; position < order.length; position++) {
            const before = previous[session(position)]!;
            previous[session(position)] = position;
            if (before < 0 || before === position - 1 || time(position) - time(before) >= span) continue;
            if (episodeFirst >= 0 && (before <= episodeLast || time(before) - time(episodeLast) < span)) {
              episodeFirst = Math.min(episodeFirst, before);
              episodeLast = position;
            } else {
              if (episodeFirst >= 0) emit(episodeFirst, episodeLast);
              episodeFirst = before;
              episodeLast = position;
            }
          }
          if (episodeFirst >= 0) emit(episodeFirst, episodeLast);
        },
      }),
    };
  },
});

/**
 * # bulk-lookups
 *
 * ## What it finds
 * Bursts: at least `threshold` lookups by one employee inside a sliding window of `timespan`. Overlapping
 * windows form one burst, reported once with its number of lookups (from its first to its last lookup),
 * its first and last time and the number of different BSNs. Lines may arrive out of time order: the rule
 * sorts each employee's lookups before it looks for bursts.
 *
 * ## Why it matters
 * Nobody handles a hundred files in an hour. Bulk lookups are how data is harvested for sale or for a
 * private file; BKWI's specific usage report lists the users with the most lookups (table 1.1).
 *
 * ## Options (Sigma correlation vocabulary: `event_count`, grouped by user)
 * - `threshold` (`100`): lookups within the window that make a burst (`gte`).
 * - `timespan` (`"60m"`): window length (`30s`, `60m`, `1h`, `1d`); a window holds lookups less than
 *   `timespan` apart from its first.
 *
 * ## Example
 * `0057_gsd_voorbeeld_mb deed 120 raadplegingen op 2026-04-09 tussen 10:02 en 10:41 (118 verschillende
 * BSN's; drempel 100 binnen 60m)`
 */
import {
  appendTimed,
  bsnNumber,
  defineRule,
  eventCount,
  EVIDENCE_LIMIT,
  forEachBurst,
  parseTimespan,
  timedWindow,
  timeOrder,
  TIMESPAN_SCHEMA,
  unpackPosition,
  type EvidenceRef,
  type Lookup,
  type TimedLookups,
} from '../src/rule-api/index.js';

export interface BulkLookupsOptions {
  threshold: number;
  timespan: string;
}

/** The tag of a lookup in the rule's state: its BSN as a number (-1 without BSN). */
const BSN = 0;

export default defineRule<BulkLookupsOptions, TimedLookups>({
  meta: {
    id: 'bulk-lookups',
    title: 'Bulkraadplegingen',
    severity: 'high',
    basis: { kind: 'source', reference: 'BKWI specifieke gebruiksrapportage, tabel 1.1 (meeste raadplegingen per gebruiker)' },
    description: 'At least `threshold` lookups by one user within a sliding `timespan`; overlapping windows form one burst.',
    options: {
      schema: {
        type: 'object',
        properties: {
          threshold: { type: 'integer', minimum: 2 },
          timespan: TIMESPAN_SCHEMA,
        },
        additionalProperties: false,
      },
      defaults: { threshold: 100, timespan: '60m' },
    },
    messages: {
      burst:
        "{{user}} deed {{count}} raadplegingen op {{date}} tussen {{from}} en {{to}} ({{distinctBsns}} verschillende BSN's; drempel {{threshold}} binnen {{timespan}})",
    },
  },
  create({ options }) {
    const span = parseTimespan(options.timespan)!;
    const { threshold } = options;
    return {
      window: timedWindow(['number'], {
        key: (lookup: Lookup) => lookup.user,
        // A burst's windows overlap: lookups `timespan` apart or more are never in one burst.
        quiet: span,
        add(state, lookup) {
          appendTimed(state, lookup, bsnNumber(lookup));
        },
        finish(user, state, report) {
          if (state.length < threshold) return;
          const order = timeOrder(state);
          const bsns = state.tags[BSN]!;
          const time = (position: number) => state.times[order[position]!]!;
          const emit = (first: number, last: number) => {
            const positions = order.slice(first, last + 1);
            // The runner keeps the first EVIDENCE_LIMIT lines: a burst of thousands builds no more than those.
            const evidence: EvidenceRef[] = positions.slice(0, EVIDENCE_LIMIT).map((index) => unpackPosition(state.positions[index]!));
            const distinct = new Set(positions.map((index) => bsns[index]).filter((bsn) => bsn !== -1));
            report({
              messageId: 'burst',
              user,
              bsn: null,
              from: time(first),
              to: time(last),
              count: positions.length,
              evidence,
              evidenceTotal: positions.length,
              data: { distinctBsns: distinct.size, threshold, timespan: options.timespan },
            });
          };
          forEachBurst({ from: 0, to: order.length, time, span, threshold, measure: eventCount() }, emit);
        },
      }),
    };
  },
});

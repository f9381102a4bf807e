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
import { defineRule, parseTimespan, type EvidenceRef, type Lookup } from '../src/rule-api/index.js';

export interface BulkLookupsOptions {
  threshold: number;
  timespan: string;
}

/** One employee's lookups, as parallel arrays (plain data, compact, cheap to merge). */
interface UserLookups {
  times: number[];
  sources: number[];
  lines: number[];
  bsns: Array<string | null>;
}

export default defineRule<BulkLookupsOptions, UserLookups>({
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
          timespan: { type: 'string', pattern: '^[1-9][0-9]*\\s*(s|m|h|d)$' },
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
      window: {
        key: (lookup: Lookup) => lookup.user,
        init: () => ({ times: [], sources: [], lines: [], bsns: [] }),
        add(state, lookup) {
          state.times.push(lookup.time);
          state.sources.push(lookup.source);
          state.lines.push(lookup.line);
          state.bsns.push(lookup.bsn);
        },
        merge(into, from) {
          into.times.push(...from.times);
          into.sources.push(...from.sources);
          into.lines.push(...from.lines);
          into.bsns.push(...from.bsns);
        },
        finish(user, state, report) {
          if (state.times.length < threshold) return;
          const order = state.times.map((_, index) => index);
          order.sort(
            (a, b) =>
              state.times[a]! - state.times[b]! || state.sources[a]! - state.sources[b]! || state.lines[a]! - state.lines[b]!,
          );
          const time = (position: number) => state.times[order[position]!]!;
          const emit = (first: number, last: number) => {
            const positions = order.slice(first, last + 1);
            const evidence: EvidenceRef[] = positions.map((index) => ({ source: state.sources[index]!, line: state.lines[index]! }));
            const distinct = new Set(positions.map((index) => state.bsns[index]).filter((bsn) => bsn !== null));
            report({
              messageId: 'burst',
              user,
              bsn: null,
              from: time(first),
              to: time(last),
              count: positions.length,
              evidence,
              data: { distinctBsns: distinct.size, threshold, timespan: options.timespan },
            });
          };
          // Two pointers: `end` is the first lookup outside the window that starts at `start`.
          let burstFirst = -1;
          let burstLast = -1;
          let end = 0;
          for (let start = 0; start < order.length; start++) {
            while (end < order.length && time(end) - time(start) < span) end++;
            if (end - start < threshold) continue;
            if (burstFirst >= 0 && start <= burstLast) {
              burstLast = Math.max(burstLast, end - 1);
            } else {
              if (burstFirst >= 0) emit(burstFirst, burstLast);
              burstFirst = start;
              burstLast = end - 1;
            }
          }
          if (burstFirst >= 0) emit(burstFirst, burstLast);
        },
      },
    };
  },
});

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
  defineRule,
  EVIDENCE_LIMIT,
  eventCount,
  forEachBurst,
  packPosition,
  parseTimespan,
  timeOrder,
  TIMESPAN_SCHEMA,
  unpackPosition,
  withCapacity,
  type EvidenceRef,
  type Lookup,
} from '../src/rule-api/index.js';

export interface BulkLookupsOptions {
  threshold: number;
  timespan: string;
}

/**
 * Lookups in compact typed arrays (20 bytes a lookup; they cross thread boundaries as a memory copy): the
 * instant, the evidence position packed as `source · 2^32 + line`, and the BSN as a number (-1 without BSN).
 */
interface LookupColumns {
  length: number;
  times: Float64Array;
  positions: Float64Array;
  bsns: Int32Array;
}

/**
 * One employee's lookups: those added in this thread, and the parts merged in from other chunks, each cut
 * to its length. Copying every chunk into one array that doubled as it grew took twice the memory at its
 * peak, plus the copies left behind; keeping every chunk's part apart took a kilobyte of typed-array objects
 * per employee per chunk. So parts are joined as a binary counter carries: a part is joined with the one
 * before it while that one is not bigger, which keeps about log2(chunks) parts and copies each lookup about
 * as many times.
 */
interface UserLookups extends LookupColumns {
  merged: LookupColumns[];
}

function withRoom(state: LookupColumns, extra: number): void {
  const needed = state.length + extra;
  if (needed <= state.times.length) return;
  state.times = withCapacity(state.times, state.length, needed);
  state.positions = withCapacity(state.positions, state.length, needed);
  state.bsns = withCapacity(state.bsns, state.length, needed);
}

/** Cuts the columns to the lookups they hold. */
function cutToLength(part: LookupColumns): void {
  if (part.times.length === part.length) return;
  part.times = part.times.slice(0, part.length);
  part.positions = part.positions.slice(0, part.length);
  part.bsns = part.bsns.slice(0, part.length);
}

/** The lookups of the parts in one set of columns, of their total length. */
function join(parts: readonly LookupColumns[]): LookupColumns {
  if (parts.length === 1) return parts[0]!;
  const all: LookupColumns = { length: 0, times: new Float64Array(0), positions: new Float64Array(0), bsns: new Int32Array(0) };
  withRoom(all, parts.reduce((sum, part) => sum + part.length, 0));
  for (const part of parts) {
    all.times.set(part.times.subarray(0, part.length), all.length);
    all.positions.set(part.positions.subarray(0, part.length), all.length);
    all.bsns.set(part.bsns.subarray(0, part.length), all.length);
    all.length += part.length;
  }
  return all;
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
      window: {
        key: (lookup: Lookup) => lookup.user,
        init: () => ({ length: 0, times: new Float64Array(0), positions: new Float64Array(0), bsns: new Int32Array(0), merged: [] }),
        add(state, lookup) {
          withRoom(state, 1);
          state.times[state.length] = lookup.time;
          state.positions[state.length] = packPosition(lookup);
          state.bsns[state.length] = lookup.bsn === null ? -1 : Number(lookup.bsn);
          state.length++;
        },
        merge(into, from) {
          // The order of the parts does not matter: finish sorts by time and position.
          const { merged, ...own } = from;
          for (const part of [own, ...merged]) {
            if (part.length === 0) continue;
            const parts = into.merged;
            parts.push(part);
            while (parts.length >= 2 && parts[parts.length - 2]!.length <= parts[parts.length - 1]!.length) {
              parts.push(join(parts.splice(-2)));
            }
          }
        },
        compact: cutToLength,
        finish(user, parts, report) {
          const state = join([parts, ...parts.merged]);
          if (state.length < threshold) return;
          const order = timeOrder(state);
          const time = (position: number) => state.times[order[position]!]!;
          const emit = (first: number, last: number) => {
            const positions = order.slice(first, last + 1);
            // The runner keeps the first EVIDENCE_LIMIT lines: a burst of thousands builds no more than those.
            const evidence: EvidenceRef[] = positions.slice(0, EVIDENCE_LIMIT).map((index) => unpackPosition(state.positions[index]!));
            const distinct = new Set(positions.map((index) => state.bsns[index]).filter((bsn) => bsn !== -1));
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
      },
    };
  },
});

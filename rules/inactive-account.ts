/**
 * # inactive-account
 *
 * ## What it finds
 * Lookups by an account that should not be working: a login that is not in the user register at all, or
 * a lookup on a local date outside every employment period of the login (a login may have several rows,
 * one per period; an empty start or end date means open). Such lookups are reported per account, kind
 * (unknown, before the start, after the end) and period (the calendar month in local time, or the whole run
 * with `--period run`): one finding with the number
 * of lookups, the number of different BSNs and the evidence lines, not one per lookup or citizen. A date
 * between two periods counts as after the end of the earlier one. Needs `--users`.
 *
 * ## Why it matters
 * An account of someone who left, or one HR never registered, is the easiest way in for someone who
 * should not be there: a shared password, an account not withdrawn on time, a login borrowed from a
 * colleague. The Suwi-normenkader asks for timely withdrawal of rights; these findings show where it
 * failed, or where the register itself is wrong.
 *
 * ## Options
 * None.
 *
 * ## Example
 * `Account 0216_gsd_voorbeeld_rh deed in april 2026 1 raadpleging(en) (1 verschillende BSN's) na het einde van
 * het dienstverband op 2026-04-10, de eerste op 2026-04-14 om 15:36; trek het account in of corrigeer het
 * gebruikersregister`
 */
import { EVIDENCE_LIMIT, bsnNumber, defineRule, employedOn, formatDay, periodName, type EvidenceRef, type Lookup, type RegisteredUser } from '../src/rule-api/index.js';

export type InactiveAccountOptions = Record<string, never>;

type Kind = 'unknown' | 'beforeStart' | 'afterEnd';

/**
 * One account's lookups of one kind in one month, as parallel arrays of numbers (plain data, cheap to merge
 * and to copy between threads). A register that knows none of the logins puts every lookup of the month
 * here: BSNs as strings took a string per lookup besides the arrays.
 */
interface AccountLookups {
  times: number[];
  sources: number[];
  lines: number[];
  /** The BSN as a number, or NO_BSN. */
  bsns: number[];
}

const NO_BSN = -1;

export default defineRule<InactiveAccountOptions, AccountLookups>({
  meta: {
    id: 'inactive-account',
    title: 'Raadpleging door een onbekend of inactief account',
    severity: 'high',
    basis: {
      kind: 'heuristic',
      reference: 'accounts of people who left and unknown accounts should make no lookups (timely withdrawal of rights)',
    },
    description:
      'Lookups by a login absent from the user register, or outside its employment periods; one finding per account, kind and month.',
    requires: ['users'],
    options: {
      schema: { type: 'object', properties: {}, additionalProperties: false },
      defaults: {},
    },
    messages: {
      unknown:
        "Account {{user}} staat niet in het gebruikersregister maar deed in {{period}} {{count}} raadpleging(en) ({{distinctBsns}} verschillende BSN's), de eerste op {{date}} om {{from}}; ga na van wie dit account is",
      beforeStart:
        "Account {{user}} deed in {{period}} {{count}} raadpleging(en) ({{distinctBsns}} verschillende BSN's) vóór de indiensttreding op {{startDate}}, de eerste op {{date}} om {{from}}; controleer het gebruikersregister",
      afterEnd:
        "Account {{user}} deed in {{period}} {{count}} raadpleging(en) ({{distinctBsns}} verschillende BSN's) na het einde van het dienstverband op {{endDate}}, de eerste op {{date}} om {{from}}; trek het account in of corrigeer het gebruikersregister",
    },
  },
  create({ calendar, reference, period }) {
    const users = reference.users!;
    /** Why the login may not work on that day, or null when it may. */
    const kindOf = (rows: readonly RegisteredUser[] | undefined, day: number): Kind | null => {
      if (rows === undefined || rows.length === 0) return 'unknown';
      if (rows.some((row) => employedOn(row, day))) return null;
      return rows.every((row) => row.start !== null && day < row.start) ? 'beforeStart' : 'afterEnd';
    };
    return {
      window: {
        key(lookup: Lookup) {
          const kind = kindOf(users.get(lookup.user), calendar.localDay(lookup.time));
          if (kind === null) return null;
          // JSON, not a separator: a login from a mapped layout may hold any character, NUL included.
          return JSON.stringify([lookup.user, kind, period(lookup.time)]);
        },
        init: () => ({ times: [], sources: [], lines: [], bsns: [] }),
        add(state, lookup) {
          state.times.push(lookup.time);
          state.sources.push(lookup.source);
          state.lines.push(lookup.line);
          state.bsns.push(lookup.bsn === null ? NO_BSN : bsnNumber(lookup));
        },
        merge(into, from) {
          into.times.push(...from.times);
          into.sources.push(...from.sources);
          into.lines.push(...from.lines);
          into.bsns.push(...from.bsns);
        },
        finish(key, state, report) {
          const [user, kind, month] = JSON.parse(key) as [string, Kind, string];
          const order = state.times.map((_, index) => index);
          order.sort(
            (a, b) =>
              state.times[a]! - state.times[b]! || state.sources[a]! - state.sources[b]! || state.lines[a]! - state.lines[b]!,
          );
          const first = state.times[order[0]!]!;
          const last = state.times[order[order.length - 1]!]!;
          // The runner keeps the first EVIDENCE_LIMIT lines: an account of thousands of lookups builds no more.
          const evidence: EvidenceRef[] = order.slice(0, EVIDENCE_LIMIT).map((index) => ({ source: state.sources[index]!, line: state.lines[index]! }));
          const distinctBsns = new Set(state.bsns.filter((bsn) => bsn !== NO_BSN)).size;
          const data: Record<string, string | number> = { period: periodName(month), distinctBsns };
          // The boundary the first lookup crossed: the first start, or the last end before it.
          const rows = users.get(user) ?? [];
          const day = calendar.localDay(first);
          if (kind === 'beforeStart') {
            data['startDate'] = formatDay(Math.min(...rows.map((row) => row.start!)));
          } else if (kind === 'afterEnd') {
            const ends = rows.map((row) => row.end).filter((end): end is number => end !== null && end < day);
            data['endDate'] = formatDay(Math.max(...ends));
          }
          report({ messageId: kind, user, bsn: null, from: first, to: last, count: order.length, evidence, evidenceTotal: order.length, data });
        },
      },
    };
  },
});

/**
 * # watchlist
 *
 * ## What it finds
 * Every lookup of a BSN on the watchlist (`--watchlist`: BSN and label), for example well-known people,
 * council members and aldermen, staff of the mayor's office, or shielded persons. The label goes into the
 * message, so the team leader sees why the BSN is listed. One finding per employee, citizen and day. A
 * lookup can be fine (the person may be a client); the rule asks for the reason, it does not judge it.
 *
 * ## Why it matters
 * The Autoriteit Persoonsgegevens found employees looking up celebrities and other known people in
 * 2013–2014, and again in 2026 (celebrities, family conflicts, data sold to criminals). Municipalities
 * mostly did not notice it themselves; such misuse is a data breach that must be reported.
 *
 * ## Options
 * None.
 *
 * ## Example
 * `0285_bz_voorbeeld_uw raadpleegde BSN *****1232 (watchlist: Bekende Nederlander (tv-presentator)) op
 * 2026-04-24 om 09:13 (1 raadpleging(en))`
 */
import { defineRule } from '../src/rule-api/index.js';

export type WatchlistOptions = Record<string, never>;

export default defineRule<WatchlistOptions>({
  meta: {
    id: 'watchlist',
    title: 'Raadpleging van een BSN op de watchlist',
    severity: 'high',
    basis: { kind: 'source', reference: 'Autoriteit Persoonsgegevens, onderzoeken 2013–2014 en 2026 (bekende personen, familie)' },
    description: 'Every lookup of a BSN on the watchlist, with the label in the message.',
    requires: ['watchlist'],
    options: {
      schema: { type: 'object', properties: {}, additionalProperties: false },
      defaults: {},
    },
    messages: {
      listed: '{{user}} raadpleegde {{citizen}} (watchlist: {{label}}) op {{date}} om {{from}} ({{count}} raadpleging(en))',
    },
  },
  create({ reference, bsnKey }) {
    const watchlist = reference.watchlist!;
    return {
      lookup(lookup, report) {
        if (lookup.bsn === null) return;
        const label = watchlist.get(bsnKey(lookup.bsn));
        if (label !== undefined) report({ messageId: 'listed', data: { label } });
      },
    };
  },
});

/**
 * # every-lookup (a test rule)
 *
 * ## What it finds
 * Every lookup, as a finding of its own, with its instant (ms) and page in the message.
 *
 * ## Why it matters
 * The hardening properties read what the parsers made of each line through the same path as the real rules
 * (parser → rule runner → partial → merge → finding), so that a lookup lost or doubled anywhere on the way
 * shows.
 *
 * ## Options
 * None.
 *
 * ## Example
 * `1774634700000 0057_gsd_voorbeeld_mb gba-zoek`
 */
import { defineRule } from '../../src/rule-api/index.js';

export default defineRule({
  meta: {
    id: 'every-lookup',
    title: 'Elke raadpleging',
    severity: 'info',
    basis: { kind: 'heuristic', reference: 'test rule of the hardening suite' },
    description: 'Reports every lookup on its own, to see what was read.',
    options: { schema: { type: 'object', properties: {}, additionalProperties: false }, defaults: {} },
    messages: { lookup: '{{time}} {{user}} {{page}}' },
  },
  create() {
    return {
      lookup(lookup, report) {
        // One group per line, so that no two lookups fold into one finding.
        report({ messageId: 'lookup', group: `${lookup.source}:${lookup.line}`, data: { time: lookup.time, page: lookup.page ?? '-' } });
      },
    };
  },
});

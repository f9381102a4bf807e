/**
 * # whitelist-escape
 *
 * ## What it finds
 * Every lookup made through the whitelist escape: the BSN was not in the uploaded caseload, Suwinet warned,
 * and the employee continued after choosing a reason. One finding per employee, citizen, reason and day.
 * Needs a layout that logs the escape reason (SI Upgrade v5, or a mapped `escapeReason` column).
 *
 * ## Why it matters
 * Every escape needs a talk with the employee; `Anders` ("other") most of all, because it explains nothing.
 * BKWI reports escapes per reason over 26 weeks but leaves the follow-up to the municipality.
 *
 * ## Options
 * - `severityByReason` (`{ "Anders": "high" }`): severity per escape reason.
 * - `defaultSeverity` (`"low"`): severity for the other reasons (`Nieuwe klant of aanvraag`,
 *   `Vaststellen onderhoudsbijdrage`, `Inkomsten van 16 en 17 jarigen`, `Bijzonder onderzoek`,
 *   `Terugvordering derden`, `TOZO`).
 *
 * ## Example
 * `0070_gsd_voorbeeld_ky raadpleegde BSN *****1110 via de whitelist-escape met reden 'Anders' op 2026-04-02
 * om 14:12 (1 raadpleging); bespreek dit met de medewerker`
 */
import { defineRule, SEVERITIES, type Severity } from '../src/rule-api/index.js';

export interface WhitelistEscapeOptions {
  severityByReason: Record<string, Severity>;
  defaultSeverity: Severity;
}

export default defineRule<WhitelistEscapeOptions>({
  meta: {
    id: 'whitelist-escape',
    title: 'Raadpleging via de whitelist-escape',
    severity: 'low',
    basis: { kind: 'source', reference: 'BKWI escape-rapportage (26 weken), tabel 1.2; Suwi-normenkader' },
    description: 'Every lookup made through the whitelist escape, with its reason; severity by reason.',
    options: {
      schema: {
        type: 'object',
        properties: {
          severityByReason: { type: 'object', additionalProperties: { enum: [...SEVERITIES] } },
          defaultSeverity: { enum: [...SEVERITIES] },
        },
        additionalProperties: false,
      },
      defaults: { severityByReason: { Anders: 'high' }, defaultSeverity: 'low' },
    },
    messages: {
      escape:
        "{{user}} raadpleegde {{citizen}} via de whitelist-escape met reden '{{reason}}' op {{date}} om {{from}} ({{count}} raadpleging(en)); bespreek dit met de medewerker",
    },
  },
  create({ options, calendar }) {
    return {
      lookup(lookup, report) {
        const reason = lookup.escapeReason;
        if (reason === null) return;
        report({
          messageId: 'escape',
          data: { reason },
          severity: options.severityByReason[reason] ?? options.defaultSeverity,
          group: `${calendar.localDay(lookup.time)}\u0000${reason}`,
        });
      },
    };
  },
});

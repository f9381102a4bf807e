import { describe, it } from 'vitest';
import whitelistEscape from '../../rules/whitelist-escape.js';
import { testRule } from '../../src/rule-api/index.js';

describe('whitelist-escape', () => {
  it('reports every escape, with severity by reason', () => {
    testRule(whitelistEscape, {
      valid: [
        { name: 'whitelisted lookup', lookups: [{ time: '2026-04-01T08:00:09', bsn: '319072356' }] },
        { name: 'no escape reason logged', lookups: [{ time: '2026-04-01T08:00:09', bsn: '319072356', escapeReason: null }] },
      ],
      invalid: [
        {
          name: 'Anders is high',
          lookups: [{ time: '2026-04-02T14:12:02.502', bsn: '111111110', escapeReason: 'Anders' }],
          findings: [{ messageId: 'escape', severity: 'high', data: { reason: 'Anders' } }],
        },
        {
          name: 'other reasons are low',
          lookups: [{ time: '2026-04-06T10:14:03', bsn: '768510338', escapeReason: 'Nieuwe klant of aanvraag' }],
          findings: [{ messageId: 'escape', severity: 'low', data: { reason: 'Nieuwe klant of aanvraag' } }],
        },
        {
          name: 'severity per reason is configurable',
          lookups: [{ time: '2026-04-06T10:14:03', bsn: '768510338', escapeReason: 'Bijzonder onderzoek' }],
          options: { severityByReason: { 'Bijzonder onderzoek': 'medium', Anders: 'critical' } },
          findings: [{ messageId: 'escape', severity: 'medium' }],
        },
        {
          name: 'same BSN, same day: one finding per reason',
          lookups: [
            { time: '2026-04-02T10:00:00', bsn: '111111110', escapeReason: 'Anders' },
            { time: '2026-04-02T10:05:00', bsn: '111111110', escapeReason: 'Anders' },
            { time: '2026-04-02T11:00:00', bsn: '111111110', escapeReason: 'TOZO' },
          ],
          findings: [
            { messageId: 'escape', severity: 'high', count: 2, data: { reason: 'Anders' } },
            { messageId: 'escape', severity: 'low', count: 1, data: { reason: 'TOZO' } },
          ],
        },
      ],
    });
  });
});

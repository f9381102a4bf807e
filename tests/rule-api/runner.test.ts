import { describe, expect, it } from 'vitest';
import bulkLookups from '../../rules/bulk-lookups.js';
import offHours from '../../rules/off-hours.js';
import { defineRule } from '../../src/rule-api/index.js';
import { packPosition } from '../../src/rule-api/position.js';
import { EVIDENCE_LIMIT, planRules, RuleRunner } from '../../src/rule-api/runner.js';
import type { Lookup } from '../../src/rule-api/types.js';
import { Calendar } from '../../src/time/calendar.js';

describe('RuleRunner.finish', () => {
  it('lets go of each window state once finished, and keeps the per-lookup hits and counts', () => {
    const calendar = new Calendar({ timezone: 'Europe/Amsterdam' });
    const plan = planRules([bulkLookups, offHours], { reference: {}, calendar, options: { 'bulk-lookups': { threshold: 3, timespan: '5m' } } });
    const runner = new RuleRunner(plan.active, calendar);
    const partial = runner.createPartial();
    const start = Date.parse('2026-04-11T21:00:00Z'); // a Saturday night: off-hours for every lookup
    for (let line = 1; line <= 8; line++) {
      const user = line <= 4 ? 'a' : 'b';
      runner.add(partial, { time: start + line * 1000, user, bsn: '111222333', source: 0, line, layout: 'classic' } as unknown as Lookup);
    }
    const windows = partial.windows[0]!;
    expect([...windows.keys()].sort()).toEqual(['a', 'b']);
    const findings = runner.finish(partial);
    expect(findings.filter((finding) => finding.rule === 'bulk-lookups').map((finding) => [finding.user, finding.count])).toEqual([
      ['a', 4],
      ['b', 4],
    ]);
    expect(windows.size).toBe(0);
    expect(partial.flagged[1]).toBe(8);
    expect(findings.some((finding) => finding.rule === 'off-hours')).toBe(true);
  });
});

describe('per-lookup evidence', () => {
  // Reports every lookup into one group: the finding keeps the first EVIDENCE_LIMIT lookups of the run.
  const everyLookup = defineRule({
    meta: {
      id: 'every-lookup',
      title: 't',
      severity: 'low',
      basis: { kind: 'heuristic', reference: 'test' },
      description: 'd',
      options: { schema: { type: 'object', properties: {}, additionalProperties: false }, defaults: {} },
      messages: { seen: 'line {{line}}' },
    },
    create: () => ({
      lookup(lookup, report) {
        report({ messageId: 'seen', group: 'all', data: { line: lookup.line } });
      },
    }),
  });
  const calendar = new Calendar({ timezone: 'Europe/Amsterdam' });
  const start = Date.parse('2026-04-14T08:00:00Z');
  // 250 lookups in two files, out of time order, many sharing an instant (then file, then line decide).
  const lookups = Array.from({ length: 250 }, (_, index) => {
    const scrambled = (index * 97) % 250;
    return { time: start + Math.floor(scrambled / 3) * 1000, user: 'u', bsn: null, source: index % 2, line: 1 + index, layout: 'classic' } as unknown as Lookup;
  });
  const first = [...lookups].sort((a, b) => a.time - b.time || a.source - b.source || a.line - b.line);

  it('keeps the first lookups of the run in run order, however the lookups were split into chunks', () => {
    for (const cuts of [[250], [40, 130, 250], [1, 2, 249, 250]]) {
      const runner = new RuleRunner(planRules([everyLookup], { reference: {}, calendar }).active, calendar);
      const total = runner.createPartial();
      let from = 0;
      for (const to of cuts) {
        const partial = runner.createPartial();
        for (const lookup of lookups.slice(from, to)) runner.add(partial, lookup);
        runner.merge(total, structuredClone(partial));
        from = to;
      }
      const [finding] = runner.finish(total);
      expect(finding!.count).toBe(250);
      expect(finding!.evidenceTotal).toBe(250);
      expect(finding!.evidence).toEqual(first.slice(0, EVIDENCE_LIMIT).map(packPosition));
      expect(finding!.data).toEqual({ line: first[0]!.line });
    }
  });
});

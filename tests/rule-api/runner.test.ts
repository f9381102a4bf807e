import { describe, expect, it } from 'vitest';
import bulkLookups from '../../rules/bulk-lookups.js';
import offHours from '../../rules/off-hours.js';
import { defineRule } from '../../src/rule-api/index.js';
import { packPosition } from '../../src/rule-api/position.js';
import { EVIDENCE_LIMIT, flaggedLookups, planRules, referenceWarnings, renderFindings, RuleRunner, type RawFinding } from '../../src/rule-api/runner.js';
import type { Lookup, ReferenceKind, RuleHooks } from '../../src/rule-api/types.js';
import { Calendar } from '../../src/time/calendar.js';

/** A rule of these tests: its id, messages and hooks, and the reference data it needs. */
function testRule(id: string, messages: Record<string, string>, create: () => RuleHooks, requires: ReferenceKind[] = []) {
  return defineRule({
    meta: {
      id,
      title: 't',
      severity: 'low',
      basis: { kind: 'heuristic', reference: 'test' },
      description: 'd',
      requires,
      options: { schema: { type: 'object', properties: {}, additionalProperties: false }, defaults: {} },
      messages,
    },
    create,
  });
}

describe('RuleRunner.finish', () => {
  it('lets go of each window state and hit group once finished, and keeps the per-lookup findings and counts', () => {
    const calendar = new Calendar({ timezone: 'Europe/Amsterdam' });
    const plan = planRules([bulkLookups, offHours], { reference: {}, calendar, options: { 'bulk-lookups': { threshold: 3, timespan: '5m' } } });
    const runner = new RuleRunner(plan.active, calendar);
    const partial = runner.createPartial();
    const start = Date.parse('2026-04-11T21:00:00Z'); // a Saturday night: off-hours for every lookup
    for (let line = 1; line <= 8; line++) {
      const user = line <= 4 ? 'a' : 'b';
      runner.add(partial, { time: start + line * 1000, user, bsn: '111222333', page: null, source: 0, line, layout: 'classic' } as unknown as Lookup);
    }
    const windows = partial.windows[0]!;
    expect([...windows.keys()].sort()).toEqual(['a', 'b']);
    expect(partial.hits.size).toBe(2);
    const findings = runner.finish(partial);
    expect(partial.hits.size).toBe(0);
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
  const everyLookup = testRule('every-lookup', { seen: 'line {{line}}' }, () => ({
    lookup(lookup, report) {
      report({ messageId: 'seen', group: 'all', data: { line: lookup.line } });
    },
  }));
  const calendar = new Calendar({ timezone: 'Europe/Amsterdam' });
  const start = Date.parse('2026-04-14T08:00:00Z');
  // 250 lookups in two files, out of time order, many sharing an instant (then file, then line decide).
  const lookups = Array.from({ length: 250 }, (_, index) => {
    const scrambled = (index * 97) % 250;
    return { time: start + Math.floor(scrambled / 3) * 1000, user: 'u', bsn: null, page: null, source: index % 2, line: 1 + index, layout: 'classic' } as unknown as Lookup;
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

describe('renderFindings', () => {
  it('gives the same findings in output order whether or not it lets go of the raw ones, and then leaves them empty', () => {
    const calendar = new Calendar({ timezone: 'Europe/Amsterdam' });
    const plan = planRules([offHours], { reference: {}, calendar });
    const runner = new RuleRunner(plan.active, calendar);
    const partial = runner.createPartial();
    const start = Date.parse('2026-04-11T21:00:00Z');
    // Users and citizens in an order that is not the output order.
    for (let line = 1; line <= 30; line++) {
      runner.add(partial, { time: start + ((line * 7) % 30) * 60_000, user: `u${line % 4}`, bsn: `11122233${line % 3}`, page: null, source: 0, line, layout: 'classic' } as unknown as Lookup);
    }
    const raw = runner.finish(partial);
    const kept = renderFindings(raw, [offHours], calendar, ['a.log']);
    expect(raw.length).toBeGreaterThan(3);
    const released = renderFindings(raw, [offHours], calendar, ['a.log'], true);
    expect(released).toEqual(kept);
    expect(raw).toEqual([]);
    const order = kept.map((finding) => `${finding.from} ${finding.user} ${finding.bsn}`);
    expect(order).toEqual([...order].sort());
  });
});

describe('referenceWarnings', () => {
  const calendar = new Calendar({ timezone: 'Europe/Amsterdam' });
  // A rule that needs the caseload; off-hours needs nothing.
  const needsCases = testRule('needs-cases', { m: 'm' }, () => ({}), ['cases']);
  const plan = planRules([needsCases, offHours], { reference: { cases: new Map() }, calendar });
  const cases: Array<[string, number[], number, string[]]> = [
    ['nothing below the share', [400, 1000], 1000, []],
    ['nothing at exactly the share', [500, 1000], 1000, []],
    ['a warning just above it, naming the rule, the counts and the file', [501, 1000], 1000, [
      'rule needs-cases flagged 501 of 1000 lookups (50%): check that --cases (caseload) belongs to these logs (period, municipality, columns)',
    ]],
    ['a share rounded down, never 100% unless all', [999, 1000], 1000, [
      'rule needs-cases flagged 999 of 1000 lookups (99%): check that --cases (caseload) belongs to these logs (period, municipality, columns)',
    ]],
    ['nothing for a rule that needs no reference data, whatever it flags', [0, 1000], 1000, []],
    ['nothing for fewer lookups than the minimum, whatever their share', [999, 999], 999, []],
    ['nothing without lookups', [0, 0], 0, []],
  ];
  for (const [what, flagged, lookups, expected] of cases) {
    it(what, () => expect(referenceWarnings(plan, flagged, lookups)).toEqual(expected));
  }
});

describe('flaggedLookups', () => {
  it("counts a rule's per-lookup reports, or for a rule with only a window the lookups of its findings", () => {
    const calendar = new Calendar({ timezone: 'Europe/Amsterdam' });
    const plan = planRules([offHours, bulkLookups], { reference: {}, calendar });
    const raw = [
      { rule: 'bulk-lookups', count: 120 },
      { rule: 'off-hours', count: 5 },
      { rule: 'bulk-lookups', count: 30 },
    ] as RawFinding[];
    expect(flaggedLookups(plan, [7, 0], raw)).toEqual([7, 150]);
    expect(flaggedLookups(plan, [7, 0], [])).toEqual([7, 0]);
  });
});

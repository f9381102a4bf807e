import { describe, expect, it } from 'vitest';
import bulkLookups from '../../rules/bulk-lookups.js';
import offHours from '../../rules/off-hours.js';
import { planRules, RuleRunner } from '../../src/rule-api/runner.js';
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

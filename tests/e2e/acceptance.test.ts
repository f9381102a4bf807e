/**
 * The month of a municipality the analyzer was not written against ("Lindenhoeve", March 2026, both BKWI
 * layouts), generated independently from DOMAIN.md with its own ground truth (tests/acceptance/lindenhoeve):
 * every injected incident must be found, nothing else flagged, every malformed line rejected.
 */
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, analyzeMonth, readFindings, readRejects, readSummary, removeTempDirs, tempDir, type FindingLine } from './cli-helpers.js';
import { readFileSync } from 'node:fs';

const MONTH = join(ROOT, 'tests/acceptance/lindenhoeve');
const truth = JSON.parse(readFileSync(join(MONTH, 'truth.json'), 'utf8')) as {
  lookups: number;
  rejects: Array<{ file: string; line: number; kind: string }>;
  findings: Array<{ rule: string; user: string; bsn: string | null; date: string }>;
  bursts: Array<{ user: string; from: string; to: string; count: number }>;
  notFindings: Array<{ rule: string; user: string; bsn: string | null; date: string }>;
};

const key = (rule: string, user: string, bsn: string | null, date: string) => `${rule} ${user} ${bsn} ${date}`;

describe('an unseen municipality (Lindenhoeve, March 2026)', () => {
  let out: string;
  let result: ReturnType<typeof analyzeMonth>;
  let findings: FindingLine[];
  beforeAll(() => {
    out = join(tempDir(), 'audit');
    result = analyzeMonth(MONTH, out);
    findings = readFindings(out);
  });
  afterAll(removeTempDirs);

  it('finds exactly the injected off-hours, no-case-link and escape incidents', () => {
    const perLookup = findings.filter((finding) => finding.rule !== 'bulk-lookups');
    const actual = perLookup.map((finding) => key(finding.rule, finding.user, finding.bsn, finding.from.slice(0, 10))).sort();
    const expected = truth.findings.map((finding) => key(finding.rule, finding.user, finding.bsn, finding.date)).sort();
    expect(actual).toEqual(expected);
    const flagged = new Set(actual);
    for (const clean of truth.notFindings) expect(flagged.has(key(clean.rule, clean.user, clean.bsn, clean.date))).toBe(false);
  });

  it('finds every burst with its exact count, first and last time', () => {
    const bursts = findings
      .filter((finding) => finding.rule === 'bulk-lookups')
      .map((finding) => ({ user: finding.user, from: finding.from.slice(0, 19), to: finding.to.slice(0, 19), count: finding.count }));
    expect(bursts).toEqual(truth.bursts.map(({ user, from, to, count }) => ({ user, from, to, count })));
  });

  it('rejects exactly the malformed lines and analyses every other line', () => {
    const rejects = readRejects(out).map((reject) => `${basename(reject.file)}:${reject.line}`);
    expect(rejects).toEqual(truth.rejects.map((reject) => `${reject.file}:${reject.line}`));
    const summary = readSummary(out);
    expect(summary.totals.lookups).toBe(truth.lookups);
    for (const input of summary.inputs) expect(input.lookups + input.rejects + input.blank).toBe(input.lines);
    // BKWI-style indicators: the month's searches without a BSN (postcode searches, empty v5 keys).
    const nonBsn = Object.values((truth as unknown as { info: { nonBsnLookups: Record<string, number> } }).info.nonBsnLookups).reduce((a, b) => a + b, 0);
    expect(summary.indicators.lookups).toBe(truth.lookups);
    expect(summary.indicators.nonBsnShare).toBe(Number((nonBsn / truth.lookups).toFixed(6)));
    expect(summary.indicators.topBsns.every((entry: { bsn: string }) => /^\*{5}\d{4}$/.test(entry.bsn))).toBe(true);
  });

  it('exits 1 because there are high findings, and names the rejected lines on stderr', () => {
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('inkijk-2026-03-b-raadpleegpersoon_v5.log:1449: rejected: expected 16 fields, found 15');
  });
});

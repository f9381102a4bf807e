/**
 * Months of municipalities the analyzer was not written against (tests/acceptance/README.md), generated
 * independently from the domain notes with their own ground truth: every injected incident must be found,
 * nothing else flagged, every malformed line rejected.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, analyzeMonth, readFindings, readRejects, readSummary, removeTempDirs, tempDir, type FindingLine } from './cli-helpers.js';

interface Truth {
  lookups: number;
  rejects: Array<{ file: string; line: number; kind: string }>;
  findings: Array<{ rule: string; user: string | null; bsn: string | null; date: string }>;
  bursts: Array<{ user: string; from: string; to: string; count: number }>;
  notFindings: Array<{ rule: string; user: string | null; bsn: string | null; date: string }>;
  info: { nonBsnLookups?: Record<string, number> };
}

/** popular-bsn is about a BSN, not about one employee: its finding names no single user. */
const userOf = (finding: FindingLine) => (finding.rule === 'popular-bsn' ? null : finding.user);
const key = (rule: string, user: string | null, bsn: string | null, date: string) => `${rule} ${user} ${bsn} ${date}`;

afterAll(removeTempDirs);

const MONTHS: Array<{ name: string; extra: string[] }> = [
  { name: 'lindenhoeve', extra: [] },
  { name: 'bergvliet', extra: ['--enable', 'other-team-case'] },
];

for (const { name, extra } of MONTHS) {
  describe(`an unseen municipality: ${name}`, () => {
    const month = join(ROOT, 'tests/acceptance', name);
    const truth = JSON.parse(readFileSync(join(month, 'truth.json'), 'utf8')) as Truth;
    let out: string;
    let result: ReturnType<typeof analyzeMonth>;
    let findings: FindingLine[];
    beforeAll(() => {
      out = join(tempDir(), 'audit');
      result = analyzeMonth(month, out, extra);
      findings = readFindings(out);
    }, 60_000);

    it('finds exactly the injected incidents, and none of the near misses', () => {
      const actual = findings
        .filter((finding) => finding.rule !== 'bulk-lookups')
        .map((finding) => key(finding.rule, userOf(finding), finding.bsn, finding.from.slice(0, 10)))
        .sort();
      const expected = truth.findings
        .filter((finding) => finding.rule !== 'bulk-lookups')
        .map((finding) => key(finding.rule, finding.user, finding.bsn, finding.date))
        .sort();
      expect(actual).toEqual(expected);
      const flagged = new Set(actual);
      for (const clean of truth.notFindings) expect(flagged.has(key(clean.rule, clean.user, clean.bsn, clean.date))).toBe(false);
    });

    it('finds every burst with its exact count, first and last time', () => {
      const bursts = findings
        .filter((finding) => finding.rule === 'bulk-lookups')
        .map((finding) => ({ user: finding.user, from: finding.from.slice(0, 19), to: finding.to.slice(0, 19), count: finding.count }));
      expect(bursts).toEqual(truth.bursts.map(({ user, from, to, count }) => ({ user, from: from.slice(0, 19), to: to.slice(0, 19), count })));
    });

    it('rejects exactly the malformed lines and analyses every other line', () => {
      expect(readRejects(out).map((reject) => `${basename(reject.file)}:${reject.line}`)).toEqual(
        truth.rejects.map((reject) => `${reject.file}:${reject.line}`),
      );
      const summary = readSummary(out);
      expect(summary.totals.lookups).toBe(truth.lookups);
      for (const input of summary.inputs) expect(input.lookups + input.rejects + input.blank).toBe(input.lines);
      expect(summary.indicators.lookups).toBe(truth.lookups);
      expect(summary.indicators.topBsns.every((entry: { bsn: string }) => /^\*{5}\d{4}$/.test(entry.bsn))).toBe(true);
      if (truth.info.nonBsnLookups) {
        // BKWI-style indicators: the month's searches without a BSN (postcode searches, empty v5 keys).
        const nonBsn = Object.values(truth.info.nonBsnLookups).reduce((a, b) => a + b, 0);
        expect(summary.indicators.nonBsnShare).toBe(Number((nonBsn / truth.lookups).toFixed(6)));
      }
    });

    it('exits 1 because there are high findings, and names rejected lines on stderr', () => {
      expect(result.code).toBe(1);
      const [first] = truth.rejects;
      expect(result.stderr).toContain(`${first!.file}:${first!.line}: rejected: `);
    });
  });
}

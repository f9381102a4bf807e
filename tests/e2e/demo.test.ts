/**
 * The bundled demo month (fixtures/demo, written by fixtures/generate.ts with its ground truth in
 * expected.json): exact findings of the core rules, exact rejects, exact counts, and the exit code.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMonth } from '../../fixtures/generate.js';
import { builtinRules } from '../../rules/index.js';
import { ROOT, analyzeMonth, readFindings, readRejects, readSummary, removeTempDirs, tempDir, type FindingLine } from './cli-helpers.js';

const DEMO = join(ROOT, 'fixtures', 'demo');
const expected = JSON.parse(readFileSync(join(DEMO, 'expected.json'), 'utf8')) as {
  municipality: string;
  seed: number;
  lookups: number;
  linesPerFile: Record<string, { lines: number; lookups: number; rejects: number; blank: number }>;
  rejects: Array<{ file: string; line: number }>;
  findings: Array<{ rule: string; user: string; bsn: string | null; date: string }>;
  bursts: Array<{ user: string; from: string; to: string; count: number }>;
};
const implemented = new Set(builtinRules.map((rule) => rule.meta.id));
const key = (rule: string, user: string, bsn: string | null, date: string) => `${rule} ${user} ${bsn} ${date}`;

describe('the demo month', () => {
  let result: ReturnType<typeof analyzeMonth>;
  let out: string;
  let findings: FindingLine[];
  beforeAll(() => {
    out = join(tempDir(), 'demo');
    result = analyzeMonth(DEMO, out, ['--mapping', join(DEMO, 'inlezen.mapping.json')]);
    findings = readFindings(out);
  });
  afterAll(removeTempDirs);

  it('finds exactly the expected incidents of every implemented rule', () => {
    const actual = findings
      .filter((finding) => finding.rule !== 'bulk-lookups')
      .map((finding) => key(finding.rule, finding.user, finding.bsn, finding.from.slice(0, 10)))
      .sort();
    const wanted = expected.findings
      .filter((finding) => implemented.has(finding.rule))
      .map((finding) => key(finding.rule, finding.user, finding.bsn, finding.date))
      .sort();
    expect(actual).toEqual(wanted);
    const bursts = findings.filter((finding) => finding.rule === 'bulk-lookups');
    expect(bursts.map(({ user, from, to, count }) => ({ user, from, to, count }))).toEqual(
      expected.bursts.map(({ user, from, to, count }) => ({ user, from, to, count })),
    );
  });

  it('rejects exactly the malformed lines and accounts for every line of every file', () => {
    expect(readRejects(out).map((reject) => `${relative(DEMO, reject.file)}:${reject.line}`)).toEqual(
      expected.rejects.map((reject) => `${reject.file}:${reject.line}`),
    );
    const summary = readSummary(out);
    expect(summary.totals.lookups).toBe(expected.lookups);
    for (const input of summary.inputs) {
      const { lines, lookups, rejects, blank } = input;
      expect({ lines, lookups, rejects, blank }).toEqual(expected.linesPerFile[relative(DEMO, input.file)]);
    }
  });

  it('exits 1: the month has high findings (escapes with reason Anders, a burst)', () => {
    expect(result.code).toBe(1);
    expect(readSummary(out).exit.code).toBe(1);
  });

  it('is exactly what the generator writes (the generator and the data cannot drift apart)', () => {
    const month = generateMonth({ seed: expected.seed, municipality: expected.municipality, year: 2026, month: 4 });
    expect(month.files.size).toBeGreaterThan(0);
    for (const [path, content] of month.files) {
      expect(Buffer.compare(Buffer.from(content), readFileSync(join(DEMO, path))), path).toBe(0);
    }
  });
});

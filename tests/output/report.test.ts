/**
 * report.html's dossiers and warnings, built from findings directly: a long dossier is cut to its most
 * severe rows with a count of the rest, and a warning about reference data stands above everything.
 * (tests/e2e/report.test.ts opens a real report in a browser.)
 */
import { describe, expect, it } from 'vitest';
import type { Indicators } from '../../src/engine/indicators.js';
import { buildReport, DOSSIER_ROWS, type ReportInput } from '../../src/output/report.js';
import type { Finding, Severity } from '../../src/rule-api/types.js';

const INDICATORS: Indicators = {
  lookups: 0, users: 0, offHoursShare: null, nonBsnShare: 0, nonBsnUserShare: 0, topUsers: [], lookupsPerUser: [],
  topBsns: [], lookupsPerPage: [], usersPerRole: [], lookupsByHourOfWeek: new Array<number>(168).fill(0), lookupsPerDay: [],
};

function finding(user: string, index: number, severity: Severity): Finding {
  const minute = String(index % 60).padStart(2, '0');
  const hour = String(8 + Math.floor(index / 60)).padStart(2, '0');
  const from = `2026-04-14T${hour}:${minute}:00+02:00`;
  return {
    id: `f${user}-${index}`, rule: 'no-case-link', severity, user, bsn: '111222333', page: null, from, to: from, count: 1,
    message: `${user} finding ${index}`, evidence: [{ file: 'a.log', line: index + 1 }], evidenceTotal: 1,
  };
}

function report(findings: Finding[], warnings: string[] = []): string {
  const input: ReportInput = {
    lang: 'en', version: 'test', period: null, files: [], reference: [], plan: { active: [], skipped: [] }, findings,
    indicators: INDICATORS, warnings, users: undefined, lookups: 0, rejects: 0, bsn: 'masked', settings: {},
  };
  return buildReport(input);
}

/** The rows and the closing note of one employee's dossier. */
function dossier(html: string, user: string): { messages: string[]; more: string | null } {
  const section = new RegExp(`<section class="dossier"><h3>${user}</h3>(.*?)</section>`).exec(html)?.[1];
  if (section === undefined) throw new Error(`no dossier for ${user}`);
  return {
    messages: [...section.matchAll(/<td>(\w+ finding \d+)<\/td>/g)].map((match) => match[1]!),
    more: /<p class="more">([^<]*)<\/p>/.exec(section)?.[1] ?? null,
  };
}

describe('report.html dossiers', () => {
  // 250 findings of one employee, every tenth of them high; a second employee with three.
  const long = Array.from({ length: 250 }, (_, index) => finding('ann', index, index % 10 === 0 ? 'high' : 'medium'));
  const short = [0, 1, 2].map((index) => finding('bob', index, 'low'));
  const html = report([...long, ...short]);

  it(`lists at most ${DOSSIER_ROWS} findings of an employee, the most severe first, then the earliest`, () => {
    const { messages } = dossier(html, 'ann');
    expect(messages).toHaveLength(DOSSIER_ROWS);
    const high = long.filter((item) => item.severity === 'high').map((item) => item.message);
    const medium = long.filter((item) => item.severity === 'medium').map((item) => item.message);
    expect(messages).toEqual([...high, ...medium].slice(0, DOSSIER_ROWS));
  });

  it('says how many more there are, and where to find them', () => {
    expect(dossier(html, 'ann').more).toBe(
      `And ${250 - DOSSIER_ROWS} more finding(s) of this employee, of lower severity or later: every finding is in findings.csv and in the team&#39;s worklist.`,
    );
  });

  it('lists a short dossier whole, without a note', () => {
    expect(dossier(html, 'bob')).toEqual({ messages: ['bob finding 0', 'bob finding 1', 'bob finding 2'], more: null });
  });

  it('counts every finding in the summary, also those the dossiers leave out', () => {
    expect(html).toContain('<div>Findings<b>253</b></div>');
  });
});

describe('report.html warnings', () => {
  it('shows each warning at the top of the summary, escaped', () => {
    const html = report([], ['rule no-case-link flagged 9 of 10 lookups (90%): check <that>']);
    const summary = html.indexOf('<h2 id="summary">');
    const warning = html.indexOf('<p class="warning">Warning: rule no-case-link flagged 9 of 10 lookups (90%): check &lt;that&gt;</p>');
    expect(warning).toBeGreaterThan(summary);
    expect(warning).toBeLessThan(html.indexOf('<div class="kpi">'));
  });

  it('shows none without warnings', () => expect(report([])).not.toContain('class="warning"'));
});

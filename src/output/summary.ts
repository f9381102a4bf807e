import type { FileReport, SkippedFile } from '../engine/analyze.js';
import type { Indicators } from '../engine/indicators.js';
import { maskBsn } from '../rule-api/bsn.js';
import type { RulePlan } from '../rule-api/runner.js';
import { SEVERITIES, type Finding, type Severity } from '../rule-api/types.js';

export interface ReferenceFileReport {
  kind: 'cases' | 'users' | 'authz' | 'watchlist';
  file: string;
  sha256: string;
  bytes: number;
  /** Entries loaded: BSNs (caseload, watchlist), logins (users), roles (authz). */
  entries: number;
}

export interface SummaryInput {
  version: string;
  period: { from: string; to: string } | null;
  files: readonly FileReport[];
  skipped: readonly SkippedFile[];
  reference: readonly ReferenceFileReport[];
  lookups: number;
  rejects: number;
  findings: readonly Finding[];
  plan: RulePlan;
  /** The settings that shape the result (never worker count or chunk size: those do not change it). */
  settings: Record<string, unknown>;
  indicators: Indicators;
  /** Reference data that does not seem to fit the logs (see referenceWarnings). */
  warnings: readonly string[];
  exit: { code: number; reason: string };
  /** Timing and machine-dependent facts; the only part that differs between identical runs. */
  run: Record<string, unknown>;
}

type SeverityCounts = Record<Severity, number>;

function zeroCounts(): SeverityCounts {
  return Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as SeverityCounts;
}

/** The indicators without the full list of users (the top 10 are in it). */
function withoutUserList(indicators: Indicators): Omit<Indicators, 'lookupsPerUser'> {
  const { lookupsPerUser: _omitted, ...rest } = indicators;
  return rest;
}

/** Every rule: run with its effective options, or skipped and why. */
export function rulesOf(plan: RulePlan): unknown[] {
  return [
    ...plan.active.map((rule) => ({
      id: rule.definition.meta.id,
      title: rule.definition.meta.title,
      status: 'run',
      severity: rule.severity,
      options: rule.options,
    })),
    ...plan.skipped.map((rule) => ({ id: rule.id, status: 'skipped', reason: rule.reason })),
  ];
}

/** summary.json: what was read, which rules ran with which settings, what was found, how the run ended. */
export function buildSummary(input: SummaryInput): string {
  const bySeverity = zeroCounts();
  const byRule: Record<string, { total: number } & SeverityCounts> = {};
  for (const rule of input.plan.active) byRule[rule.definition.meta.id] = { total: 0, ...zeroCounts() };
  for (const finding of input.findings) {
    bySeverity[finding.severity]++;
    const counts = byRule[finding.rule]!;
    counts.total++;
    counts[finding.severity]++;
  }
  const considered = input.lookups + input.rejects;
  const summary = {
    tool: { name: 'suwinet-audit', version: input.version },
    period: input.period,
    inputs: input.files.map((file) => ({
      file: file.file,
      layout: file.layout,
      layouts: file.layouts,
      encoding: file.encoding,
      bytes: file.bytes,
      gzip: file.gzip,
      sha256: file.sha256,
      lines: file.lines,
      lookups: file.lookups,
      rejects: file.rejects,
      blank: file.blank,
    })),
    // Files in an input folder that are no log: not analysed, named and hashed.
    skipped: input.skipped.map(({ file, reason, bytes, sha256 }) => ({ file, reason, bytes, sha256 })),
    reference: input.reference,
    totals: {
      lookups: input.lookups,
      rejects: input.rejects,
      rejectRate: considered === 0 ? 0 : Number((input.rejects / considered).toFixed(6)),
      findings: input.findings.length,
    },
    warnings: input.warnings,
    findings: { bySeverity, byRule },
    indicators: {
      ...withoutUserList(input.indicators),
      // The summary is for readers who do not need the full number.
      topBsns: input.indicators.topBsns.map(({ bsn, users }) => ({ bsn: maskBsn(bsn), users })),
    },
    rules: rulesOf(input.plan),
    settings: input.settings,
    exit: input.exit,
    run: input.run,
  };
  return JSON.stringify(summary, null, 2) + '\n';
}

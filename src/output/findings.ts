import type { Finding } from '../rule-api/types.js';
import type { Reject } from '../input/record.js';
import { BOM, csvRow } from './csv.js';

/**
 * One finding per line, fields in a fixed order: diff-able and byte-identical between runs. Line by line,
 * for writePrivateFile to write as they come: a month of ten million lookups has tens of megabytes of
 * findings, and one string of them (and its UTF-8 copy) took a hundred and more.
 */
export function* findingsJsonl(findings: readonly Finding[]): Generator<string> {
  for (const finding of findings) {
    yield JSON.stringify({
      id: finding.id,
      rule: finding.rule,
      severity: finding.severity,
      user: finding.user,
      bsn: finding.bsn,
      page: finding.page,
      from: finding.from,
      to: finding.to,
      count: finding.count,
      message: finding.message,
      evidence: finding.evidence.map(({ file, line }) => ({ file, line })),
      evidenceTotal: finding.evidenceTotal,
    }) + '\n';
  }
}

export const FINDINGS_CSV_COLUMNS = [
  'id',
  'rule',
  'severity',
  'user',
  'bsn',
  'page',
  'from',
  'to',
  'count',
  'message',
  'evidence',
  'evidenceTotal',
] as const;

/** findings.csv, row by row (see findingsJsonl). */
export function* findingsCsv(findings: readonly Finding[], delimiter: string): Generator<string> {
  yield BOM + csvRow(FINDINGS_CSV_COLUMNS, delimiter);
  for (const finding of findings) {
    yield csvRow(
      [
        finding.id,
        finding.rule,
        finding.severity,
        finding.user,
        finding.bsn,
        finding.page,
        finding.from,
        finding.to,
        finding.count,
        finding.message,
        finding.evidence.map(({ file, line }) => `${file}:${line}`).join(', '),
        finding.evidenceTotal,
      ],
      delimiter,
    );
  }
}

export const REJECTS_CSV_COLUMNS = ['file', 'line', 'reason', 'excerpt'] as const;

export function rejectsCsvHeader(delimiter: string): string {
  return BOM + csvRow(REJECTS_CSV_COLUMNS, delimiter);
}

export function rejectCsvRow(reject: Reject, delimiter: string): string {
  return csvRow([reject.file, reject.line, reject.reason, reject.excerpt], delimiter);
}

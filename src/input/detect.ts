import type { Layout } from '../rule-api/types.js';
import { isClassicLine } from './classic.js';
import type { Mapping } from './mapping.js';
import { isV5Line } from './v5.js';

/** How many leading non-blank lines are looked at: a few junk lines at the top do not hide the layout. */
const SNIFF_LINES = 50;

/**
 * Tells the layout of a file from its first lines (decompressed, BOM removed). The BKWI layouts and JSON
 * are recognised by their shape; anything else is header CSV when a mapping is given (or the file is
 * named `.csv`/`.tsv`). Null when the layout cannot be told.
 */
export function detectLayout(head: string, fileName: string, mapping: Mapping | undefined): Layout | null {
  let seen = 0;
  for (const rawLine of head.split('\n')) {
    const line = rawLine.replace(/\r$/, '').replace(/^\uFEFF/, '');
    if (line.trim() === '') continue;
    if (isClassicLine(line)) return 'classic';
    if (isV5Line(line)) return 'v5';
    const first = line.trimStart()[0];
    if (first === '{') return 'ndjson';
    if (first === '[') return 'json';
    if (++seen >= SNIFF_LINES) break;
  }
  if (mapping?.format) return mapping.format;
  if (/\.(csv|tsv)(\.gz)?$/i.test(fileName) || (mapping && head.trim() !== '')) return 'csv';
  return null;
}

/** The delimiter of a header line: the most frequent of `,`, `;` and tab. */
export function detectDelimiter(headerLine: string): ',' | ';' | '\t' {
  const counts: Array<[',' | ';' | '\t', number]> = [',', ';', '\t'].map((delimiter) => [
    delimiter as ',' | ';' | '\t',
    headerLine.split(delimiter).length - 1,
  ]);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![0];
}

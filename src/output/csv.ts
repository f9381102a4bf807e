/**
 * CSV for Excel: UTF-8 with BOM (so Excel reads accents right), `;` by default (Dutch Excel's list
 * separator), quoting where needed, and text that Excel would run as a formula made inert.
 */
export const BOM = '\uFEFF';

export type Cell = string | number | null;

/** Characters that make Excel treat a cell as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell, delimiter: string): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  const needsQuotes =
    text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r') || text !== text.trim();
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: readonly Cell[], delimiter: string): string {
  return values.map((value) => csvCell(value, delimiter)).join(delimiter) + '\r\n';
}

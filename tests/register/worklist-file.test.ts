/** Worklists as they come back from Excel: separators, encodings, dates and verdicts as people write them. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSpreadsheetDate, parseVerdict } from '../../src/register/verdicts.js';
import { readWorklistFile } from '../../src/register/worklist-file.js';
import { ZoneClock } from '../../src/time/zone.js';

const dir = mkdtempSync(join(tmpdir(), 'suwinet-audit-worklist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('readWorklistFile', () => {
  it('reads ; with a BOM, keys cells by lower-case header, skips blank rows and keeps each row\'s first line', () => {
    const path = file('a.csv', '\uFEFFId;Oordeel;Toelichting\r\nf1;gerechtvaardigd;"twee\r\nregels"\r\n;;\r\n\r\nf2;onbekend;x\r\n');
    const { columns, rows } = readWorklistFile(path);
    expect(columns).toEqual(['id', 'oordeel', 'toelichting']);
    expect(rows.map((row) => [row.line, row.cells.get('id'), row.cells.get('toelichting')])).toEqual([
      [2, 'f1', 'twee\r\nregels'],
      [6, 'f2', 'x'],
    ]);
  });

  it('reads a file with LF and CRLF line ends mixed (two lists pasted together) row by row', () => {
    const { rows } = readWorklistFile(file('d.csv', 'id;oordeel\r\nf1;onbekend\r\nf2;"twee\nregels"\nf3;gerechtvaardigd\n'));
    expect(rows.map((row) => [row.line, row.cells.get('id'), row.cells.get('oordeel')])).toEqual([
      [2, 'f1', 'onbekend'],
      [3, 'f2', 'twee\nregels'],
      [5, 'f3', 'gerechtvaardigd'],
    ]);
  });

  it('reads , without a BOM in Windows-1252, and tab-separated UTF-16 ("Unicode text")', () => {
    // 0x93/0x94 (curly quotes) and 0x80 (euro) are where Windows-1252 differs from Latin-1.
    const windows1252 = Buffer.concat([Buffer.from('id,reden,toelichting\nf1,"a; b",caf\xe9 ', 'latin1'), Buffer.from([0x93, 0x64, 0x94, 0x20, 0x80, 0x0a])]);
    const latin = file('b.csv', windows1252);
    expect(readWorklistFile(latin).rows[0]!.cells).toEqual(new Map([['id', 'f1'], ['reden', 'a; b'], ['toelichting', 'café “d” €']]));
    const utf16 = file('c.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id\toordeel\r\nf1\tniet gerechtvaardigd\r\n', 'utf16le')]));
    expect(readWorklistFile(utf16).rows[0]!.cells.get('oordeel')).toBe('niet gerechtvaardigd');
  });
});

describe('parseVerdict', () => {
  it('accepts the three verdicts in any case, with hyphens or underscores, and nothing else', () => {
    expect(parseVerdict(' Gerechtvaardigd ')).toBe('gerechtvaardigd');
    expect(parseVerdict('Niet-gerechtvaardigd')).toBe('niet gerechtvaardigd');
    expect(parseVerdict('niet_gerechtvaardigd')).toBe('niet gerechtvaardigd');
    expect(parseVerdict('ONBEKEND')).toBe('onbekend');
    for (const wrong of ['ja', 'nee', 'ok', 'gerechtvaardig', '']) expect(parseVerdict(wrong)).toBeNull();
  });
});

describe('parseSpreadsheetDate', () => {
  const clock = new ZoneClock('Europe/Amsterdam');
  const iso = (text: string) => {
    const instant = parseSpreadsheetDate(text, clock);
    return instant === null ? null : clock.format(instant);
  };

  it('reads ISO and day-first dates, with or without a time, in local time', () => {
    expect(iso('2026-11-03')).toBe('2026-11-03T00:00:00+01:00');
    expect(iso('2026-11-03 14:05')).toBe('2026-11-03T14:05:00+01:00');
    expect(iso('2026-04-03T14:05:30')).toBe('2026-04-03T14:05:30+02:00');
    expect(iso('3-11-2026 14:05')).toBe('2026-11-03T14:05:00+01:00');
    expect(iso('03/04/2026 9:07')).toBe('2026-04-03T09:07:00+02:00');
  });

  it('refuses what is not a real date or time', () => {
    for (const wrong of ['31-02-2026', '2026-13-01', '3-11-2026 25:00', '3-11-2026 14:05 uur', 'morgen', '11/3/26']) expect(iso(wrong)).toBeNull();
  });
});

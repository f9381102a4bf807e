/**
 * The CSV outputs opened the way Excel users open them, in a real spreadsheet program (LibreOffice, headless,
 * formulas evaluated): a login or display name that looks like a formula stays text. Runs when `soffice` is
 * installed (Debian: libreoffice-calc-nogui) and is skipped, visibly, when it is not.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, cli, removeTempDirs, tempDir } from './cli-helpers.js';

const soffice = spawnSync('soffice', ['--version'], { encoding: 'utf8' });
const available = soffice.status === 0;
if (!available) console.warn('skipped: the LibreOffice check of the CSV outputs needs soffice (apt-get install libreoffice-calc-nogui)');

afterAll(removeTempDirs);

/** Opens a `;` CSV (UTF-8, formulas evaluated, as a spreadsheet user would) and saves it as plain CSV. */
function throughSpreadsheet(path: string, outDir: string): string[][] {
  const result = spawnSync(
    'soffice',
    [
      '--headless',
      `-env:UserInstallation=file://${outDir}/profile`,
      '--infilter=CSV:59,34,76,1,,1033,false,false,false,false,false,-1,true',
      '--convert-to',
      'csv:Text - txt - csv (StarCalc):44,34,76,1',
      '--outdir',
      outDir,
      path,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (result.status !== 0) throw new Error(`soffice failed: ${result.stderr}`);
  const name = path.split('/').pop()!;
  return parse(readFileSync(join(outDir, name), 'utf8'), { relax_column_count: true }) as string[][];
}

describe.skipIf(!available)('CSV outputs in a spreadsheet', () => {
  it('keeps formula-like logins and names as text (and the check itself sees evaluated formulas)', () => {
    const dir = tempDir();
    const control = join(dir, 'control.csv');
    writeFileSync(control, '\uFEFFa;b\r\n=1+1;x\r\n');
    expect(throughSpreadsheet(control, join(dir, 'control-out'))[1]![0]).toBe('2');

    const log = join(dir, 'hostile.log');
    const lines = readFileSync(join(ROOT, 'fixtures/rules/off-hours/classic.log'), 'utf8').split('\n');
    lines[1] = lines[1]!.replaceAll('0057_gsd_voorbeeld_mb', '=1+1').replaceAll('"mira bakker"', '"@SUM(2;2)"');
    writeFileSync(log, lines.join('\n'));
    const users = join(dir, 'users.csv');
    writeFileSync(users, 'login,name,team\n=1+1,-2+3,+inkomen\n');
    const out = join(dir, 'audit');
    expect(cli(['analyze', log, '--users', users, '--rules', 'off-hours', '--out', out, '-q']).code).toBe(0);

    const files = [join(out, 'findings.csv'), ...readdirSync(join(out, 'worklists')).map((name) => join(out, 'worklists', name))];
    let hostile = 0;
    for (const file of files) {
      const written = parse(readFileSync(file, 'utf8'), { bom: true, delimiter: ';', relax_column_count: true }) as string[][];
      const opened = throughSpreadsheet(file, join(dir, 'opened'));
      written.forEach((row, r) =>
        row.forEach((cell, c) => {
          if (!/^'?[=+\-@]/.test(cell)) return;
          hostile++;
          expect(opened[r]![c], `${file} row ${r} column ${c}`).toBe(cell);
        }),
      );
    }
    expect(hostile).toBeGreaterThanOrEqual(4);
  }, 120_000);
});

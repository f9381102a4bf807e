/** manifest.json and `verify`: the auditor's "is this the report of that data?" answered yes or no. */
import { copyFileSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, cli, readSummary, removeTempDirs, tempDir } from './cli-helpers.js';

afterAll(removeTempDirs);

const DEMO = join(ROOT, 'fixtures', 'demo');

/** A run on copies of the inputs (so the test may change them), returning the folders and the arguments. */
function run() {
  const dir = tempDir();
  const log = join(dir, 'classic.log');
  const users = join(dir, 'users.csv');
  copyFileSync(join(ROOT, 'fixtures/rules/off-hours/classic.log'), log);
  copyFileSync(join(DEMO, 'ref/users.csv'), users);
  const out = join(dir, 'audit');
  const args = ['analyze', log, '--users', users, '--out', out, '-q', '--fail-on', 'never'];
  expect(cli(args).code).toBe(0);
  return { dir, log, users, out, args };
}

function outputsOf(out: string): string[] {
  return readdirSync(out, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== 'manifest.json')
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

describe('manifest.json', () => {
  it('records the tool, the command line, the settings, the rules, and every input, reference and output with its SHA-256', () => {
    const { out, args, log, users } = run();
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const summary = readSummary(out);
    expect(manifest.tool.name).toBe('suwinet-audit');
    expect(manifest.commandLine).toEqual(args);
    expect(manifest.settings).toEqual(summary.settings);
    expect(manifest.rules).toEqual(summary.rules);
    expect(manifest.inputs).toEqual([expect.objectContaining({ file: log, sha256: summary.inputs[0].sha256, lookups: 7 })]);
    expect(manifest.reference).toEqual([expect.objectContaining({ kind: 'users', file: users })]);
    expect(manifest.outputs.map((output: { file: string }) => output.file)).toEqual(
      outputsOf(out).map((path) => path.slice(out.length + 1).split('\\').join('/')),
    );
    expect(manifest.outputs.map((output: { file: string }) => output.file)).toContain('worklists/onbekend.csv');
  });
});

describe('verify', () => {
  it('says yes to an untouched folder, and names any output whose content changed by one byte', () => {
    const { out } = run();
    const ok = cli(['verify', out]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^verified: \d+ file\(s\) match manifest\.json\n$/);
    for (const path of outputsOf(out)) {
      const original = readFileSync(path);
      // Flip the last bit, or give an empty file one byte.
      const changed = original.length === 0 ? Buffer.from('x') : Buffer.from(original);
      if (original.length > 0) changed[changed.length - 1] = changed[changed.length - 1]! ^ 1;
      writeFileSync(path, changed);
      const result = cli(['verify', out]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`mismatch: ${path.slice(out.length + 1)}: content differs from the manifest`);
      writeFileSync(path, original);
    }
    expect(cli(['verify', out]).code).toBe(0);
  });

  it('names a changed input, reports inputs that are gone, and notices added or removed outputs', () => {
    const { out, log, users } = run();
    writeFileSync(log, readFileSync(log, 'utf8').replace('08:00:12', '08:00:13'));
    const changed = cli(['verify', out]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain(`mismatch: ${log}: input differs from the one analysed`);
    rmSync(log);
    rmSync(users);
    const gone = cli(['verify', out]);
    expect(gone.code).toBe(0);
    expect(gone.stdout).toContain(`not checked (not present): ${log}`);
    writeFileSync(join(out, 'extra.txt'), 'x');
    rmSync(join(out, 'rejects.csv'));
    const edited = cli(['verify', out]);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain('mismatch: extra.txt: not in the manifest');
    expect(edited.stdout).toContain('mismatch: rejects.csv: missing');
  });

  it('refuses a folder without a manifest with exit 2', () => {
    const result = cli(['verify', tempDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no readable manifest.json');
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Finding } from '../../src/rule-api/types.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'suwinet-audit.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`npm test` builds dist/ first) as a user would. */
export function cli(args: readonly string[], options: { input?: string | Buffer; cwd?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs `analyze` on a month folder laid out as `logs/` and `ref/` (caseload, users, authz, watchlist), as a
 * controller would.
 */
export function analyzeMonth(month: string, out: string, extra: readonly string[] = []): CliResult {
  const ref = (name: string) => join(month, 'ref', name);
  return cli([
    'analyze',
    join(month, 'logs'),
    '--cases',
    ref('caseload.csv'),
    '--users',
    ref('users.csv'),
    '--authz',
    ref('authz.csv'),
    '--watchlist',
    ref('watchlist.csv'),
    '--out',
    out,
    ...extra,
  ]);
}

const made: string[] = [];

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'suwinet-audit-test-'));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export type FindingLine = Finding;

export function readFindings(out: string): FindingLine[] {
  return readFileSync(join(out, 'findings.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as FindingLine);
}

/** rejects.csv rows as [file, line, reason] (the BOM and header dropped; `;` separated, quoted when needed). */
export function readRejects(out: string): Array<{ file: string; line: number; reason: string }> {
  const text = readFileSync(join(out, 'rejects.csv'), 'utf8').replace(/^\uFEFF/, '');
  return text
    .split('\r\n')
    .slice(1)
    .filter((row) => row !== '')
    .map((row) => {
      const [file, line, reason] = row.split(';');
      return { file: file!, line: Number(line), reason: reason! };
    });
}

export function readSummary(out: string): Record<string, any> {
  return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
}

const OUTPUTS = ['findings.jsonl', 'findings.csv', 'suppressed.jsonl', 'rejects.csv', 'report.html'];

/**
 * The outputs of a run, for comparing runs that must be byte-identical: every file, with summary.json
 * without its `run` block (timing, workers, chunk size).
 */
export function outputsOf(out: string): Record<string, string> {
  const summary = readSummary(out);
  expect(summary.run.workers).toBeTypeOf('number');
  delete summary.run;
  const worklists = readdirSync(join(out, 'worklists')).sort();
  return {
    ...Object.fromEntries(OUTPUTS.map((name) => [name, readFileSync(join(out, name), 'utf8')])),
    ...Object.fromEntries(worklists.map((name) => [`worklists/${name}`, readFileSync(join(out, 'worklists', name), 'utf8')])),
    'summary.json': JSON.stringify(summary),
  };
}

/**
 * readRunFolder reads findings.jsonl line by line, in blocks of 1 MiB: a month whose caseload did not fit
 * wrote 1.2 GB of it, more than one string holds. Lines that straddle a block, a character of several bytes
 * cut by a block's end, empty lines and a last line without a newline must all come out as written.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readRunFolder } from '../../src/register/runs.js';
import type { Finding } from '../../src/rule-api/types.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function folder(findingsJsonl: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'suwinet-audit-run-'));
  made.push(dir);
  writeFileSync(join(dir, 'manifest.json'), '{}');
  writeFileSync(join(dir, 'summary.json'), '{}');
  if (findingsJsonl !== null) writeFileSync(join(dir, 'findings.jsonl'), findingsJsonl);
  return dir;
}

function finding(index: number, message: string): Finding {
  return {
    id: `f${index}`, rule: 'no-case-link', severity: 'medium', user: 'u', bsn: null, page: null,
    from: '2026-04-14T08:00:00+02:00', to: '2026-04-14T08:00:00+02:00', count: 1, message,
    evidence: [{ file: 'a.log', line: index }], evidenceTotal: 1,
  };
}

describe('readRunFolder', () => {
  it('gives every finding of findings.jsonl as written, across blocks and characters of several bytes', () => {
    // Messages of odd lengths with 'é' (2 bytes) and '€' (3 bytes): some line ends and some characters
    // fall on a block's edge, and one line is longer than a block.
    const findings = Array.from({ length: 3000 }, (_, index) =>
      finding(index, `${'é€x'.repeat(index % 997)}${index === 1500 ? 'ü'.repeat(600_000) : ''} #${index}`),
    );
    const text = findings.map((item) => JSON.stringify(item)).join('\n\n');
    expect(Buffer.byteLength(text)).toBeGreaterThan(4 << 20);
    const read = [...readRunFolder(folder(text)).findings];
    expect(read).toHaveLength(findings.length);
    expect(read).toEqual(findings);
  });

  it('can be read again, and gives nothing for an empty file', () => {
    const run = readRunFolder(folder(`${JSON.stringify(finding(1, 'a'))}\n`));
    expect([...run.findings].map((item) => item.id)).toEqual(['f1']);
    expect([...run.findings].map((item) => item.id)).toEqual(['f1']);
    expect([...readRunFolder(folder('')).findings]).toEqual([]);
  });

  it('names the folder when findings.jsonl cannot be read', () => {
    const dir = folder(null);
    expect(() => [...readRunFolder(dir).findings]).toThrow(InputError);
    expect(() => [...readRunFolder(dir).findings]).toThrow(`${dir}: cannot read findings.jsonl`);
  });
});

/**
 * Lines too long to hold: a file without line breaks (binary junk, a broken export) must not fill the memory,
 * and a CSV record opened by a stray quote must not swallow the rest of the file into one chunk. Both are
 * decided at a fixed number of bytes from the start of the line or record, so the results do not depend on
 * the chunk size.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze, prepareAnalysis } from '../../src/engine/analyze.js';
import type { Reject } from '../../src/engine/chunk.js';
import { BUILTIN_RULES } from '../../src/engine/setup.js';
import { lineChunks, type OverlongLine } from '../../src/input/sources.js';
import { cli, readRejects, readSummary, removeTempDirs, ROOT, tempDir } from '../e2e/cli-helpers.js';

afterAll(removeTempDirs);

const LOG = readFileSync(join(ROOT, 'fixtures', 'rules', 'off-hours', 'classic.log'), 'utf8');
const LOG_LINES = LOG.split('\n').length - 1;
const MAX = 8 << 10;

async function* piecesOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function chunksOf(bytes: Buffer, chunkSize: number, pieceSize: number, quoteAware = false) {
  const overlong: string[] = [];
  const chunks: string[] = [];
  const record = (line: OverlongLine) => overlong.push(line.start.toString('latin1'));
  for await (const chunk of lineChunks(piecesOf(bytes, pieceSize), chunkSize, { maxLine: MAX, overlong: record, quoteAware })) {
    chunks.push(chunk.toString('latin1'));
  }
  return { text: chunks.join(''), overlong, biggest: Math.max(...chunks.map((chunk) => chunk.length)) };
}

describe('lineChunks with a longest line', () => {
  it('skips a line of maxLine bytes or more to its end, hands over its start, and keeps every other line', async () => {
    const junk = 'x'.repeat(3 * MAX);
    const bytes = Buffer.from(`a\n${junk}\nb\nc\n${junk}`, 'latin1');
    for (const [chunkSize, pieceSize] of [[1024, 100], [2048, 4096], [MAX, 777]] as const) {
      const { text, overlong, biggest } = await chunksOf(bytes, chunkSize, pieceSize);
      expect(text).toBe('a\nb\nc\n');
      expect(overlong).toEqual(['x'.repeat(800), 'x'.repeat(800)]);
      expect(biggest).toBeLessThanOrEqual(MAX);
    }
  });

  it('keeps a line just under maxLine whole', async () => {
    const line = 'y'.repeat(MAX - 2);
    const { text, overlong } = await chunksOf(Buffer.from(`${line}\nz\n`, 'latin1'), 1024, 500);
    expect(text).toBe(`${line}\nz\n`);
    expect(overlong).toEqual([]);
  });

  it('cuts a CSV record still inside quotes after maxLine bytes at its last line break', async () => {
    const rows = Array.from({ length: 400 }, (_, index) => `${index};row ${index}`).join('\n');
    const bytes = Buffer.from(`1;"stray\n${rows}\n`, 'latin1');
    const { text, overlong, biggest } = await chunksOf(bytes, 1024, 300, true);
    expect(text).toBe(bytes.toString('latin1'));
    expect(overlong).toEqual([]);
    expect(biggest).toBeLessThanOrEqual(MAX);
  });
});

describe('the pipeline with lines too long to hold', () => {
  async function run(path: string, chunkSize: number, mapping?: object) {
    const rejects: Reject[] = [];
    const prepared = await prepareAnalysis({
      inputs: [path],
      format: 'auto',
      mapping: mapping as never,
      timezone: 'Europe/Amsterdam',
      reference: {},
      ruleModules: [BUILTIN_RULES],
      only: ['off-hours'],
      workers: 0,
      chunkSize,
      maxLine: MAX,
    });
    const result = await analyze(prepared, { reject: (reject) => rejects.push(reject), notice: () => undefined, skip: () => undefined });
    const [file] = result.files;
    return { lines: file!.lines, lookups: file!.lookups, blank: file!.blank, rejects: rejects.map(({ line, reason }) => [line, reason]), findings: result.findings };
  }

  it('rejects an overlong log line in its place, the same for any chunk size', async () => {
    const path = join(tempDir(), 'access.log');
    writeFileSync(path, `${LOG}${'info3 '.padEnd(3 * MAX, 'x')}\n${LOG}${'x'.repeat(2 * MAX)}`);
    const runs = await Promise.all([1024, 4096, MAX].map((chunkSize) => run(path, chunkSize)));
    expect(runs[0]).toMatchObject({
      lines: 2 * LOG_LINES + 2,
      lookups: 2 * LOG_LINES,
      rejects: [
        [LOG_LINES + 1, 'line of 8 KiB or more, skipped (no log line is that long)'],
        [2 * LOG_LINES + 2, 'line of 8 KiB or more, skipped (no log line is that long)'],
      ],
    });
    expect(runs[0]!.findings.length).toBeGreaterThan(0);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });

  it('reads on after a stray CSV quote, the same for any chunk size', async () => {
    const dir = tempDir();
    const path = join(dir, 'inlezen.csv');
    const row = (index: number) => `2026-03-0${1 + (index % 5)}T22:${String(index % 60).padStart(2, '0')}:00+01:00;u${index % 7};bsn=111222333`;
    const rows = Array.from({ length: 600 }, (_, index) => row(index));
    rows[10] = `2026-03-02T22:00:00+01:00;"stray;bsn=111222333`;
    writeFileSync(path, `tijdstip;medewerker;zoeksleutels\n${rows.join('\n')}\n`);
    const mapping = { format: 'csv', fields: { time: 'tijdstip', user: 'medewerker', searchKeys: 'zoeksleutels' } };
    const runs = await Promise.all([1024, 2048, MAX].map((chunkSize) => run(path, chunkSize, mapping)));
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
    const [first] = runs;
    // The stray quote swallows the record's lines up to the cut; every line after it is read again.
    expect(first!.rejects).toHaveLength(1);
    expect(first!.rejects[0]![0]).toBe(12);
    expect(String(first!.rejects[0]![1])).toMatch(/^Quote Not Closed.*\(lines 12–\d+ unreadable\)$/);
    expect(first!.lookups).toBeGreaterThan(300);
    expect(first!.lines).toBe(601);
    expect(first!.lookups + first!.rejects.length + first!.blank).toBeLessThanOrEqual(first!.lines);
  });
});

describe('a file without line breaks, from the command line', () => {
  it('rejects the 70 MB line in one line of rejects.csv and analyses the rest', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'junk.log'), Buffer.concat([Buffer.from(LOG), Buffer.alloc(70 << 20, 0x41), Buffer.from(`\n${LOG}`)]));
    const result = cli(['analyze', 'junk.log', '--out', 'out', '--fail-on', 'never', '--max-reject-rate', '50%', '-q'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(readRejects(join(dir, 'out'))).toEqual([{ file: 'junk.log', line: LOG_LINES + 1, reason: 'line of 64 MiB or more, skipped (no log line is that long)' }]);
    expect(readSummary(join(dir, 'out')).inputs[0]).toMatchObject({ lines: 2 * LOG_LINES + 1, lookups: 2 * LOG_LINES, rejects: 1 });
  });
});

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockOutput, writePrivateFile } from '../../src/output/folder.js';

const folder = mkdtempSync(join(tmpdir(), 'suwinet-folder-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('writePrivateFile', () => {
  it('writes pieces of text as they come, in batches, to the same bytes as their joined text, readable by its owner only', async () => {
    // More than two batches of a megabyte, with multi-byte characters across the batch edges.
    const rows = Array.from({ length: 30_000 }, (_, index) => `${index};Özlem Çelik;€ ${'x'.repeat(index % 200)}\n`);
    let yielded = 0;
    function* lines(): Generator<string> {
      for (const row of rows) {
        yielded++;
        yield row;
      }
    }
    await writePrivateFile(folder, 'rows.csv', lines());
    expect(yielded).toBe(rows.length);
    const written = readFileSync(join(folder, 'rows.csv'));
    expect(written.length).toBeGreaterThan(3 << 20);
    expect(written.equals(Buffer.from(rows.join(''), 'utf8'))).toBe(true);
    expect(statSync(join(folder, 'rows.csv')).mode & 0o777).toBe(0o600);
  });

  it('writes an empty file for no pieces, and one text as it is', async () => {
    await writePrivateFile(folder, 'none.csv', []);
    expect(readFileSync(join(folder, 'none.csv'), 'utf8')).toBe('');
    await writePrivateFile(folder, 'one.txt', 'één regel\n');
    expect(readFileSync(join(folder, 'one.txt'), 'utf8')).toBe('één regel\n');
  });
});

describe('lockOutput', () => {
  it('reads a lock file that another run has created but not yet written as that run\'s, once it is written', async () => {
    const out = join(folder, 'busy');
    const lock = join(folder, '.busy.lock');
    writeFileSync(lock, '');
    const holder = { pid: process.pid, host: hostname(), startedAt: '2026-11-29T04:00:00.000Z' };
    setTimeout(() => writeFileSync(lock, JSON.stringify(holder) + '\n'), 150);
    await expect(lockOutput(out, new Date())).rejects.toThrow(`--out ${out} is in use by run ${process.pid}`);
    rmSync(lock);
  });

  it('calls a lock file that stays empty unreadable', async () => {
    const out = join(folder, 'stuck');
    writeFileSync(join(folder, '.stuck.lock'), '');
    await expect(lockOutput(out, new Date())).rejects.toThrow(/lock file .*\.stuck\.lock is unreadable/);
    rmSync(join(folder, '.stuck.lock'));
  });
});

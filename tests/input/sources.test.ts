import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { expandInputs, openInput, peek, type OpenedInput } from '../../src/input/sources.js';

const root = mkdtempSync(join(tmpdir(), 'suwinet-sources-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
}

async function readAll(opened: OpenedInput): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of opened.content) pieces.push(piece);
  return Buffer.concat(pieces);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Some kilobytes of log-like text that compress well, so the gzip file is much smaller. */
function logText(lines: number, tag: string): string {
  let text = '';
  for (let index = 0; index < lines; index++) text += `5,${tag},2026-04-01,08:00:${String(index % 60).padStart(2, '0')}.000,regel ${index} ü\r\n`;
  return text;
}

describe('expandInputs', () => {
  it('expands a folder to its visible files in name order, skipping hidden files and subfolders', async () => {
    const folder = join(root, 'logs');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    for (const name of ['b.log', 'a.log.gz', 'B.log', '.hidden.log', '10.log', '9.log', 'sub/inner.log']) {
      writeFileSync(join(folder, name), 'x');
    }
    const sources = await expandInputs([folder]);
    expect(sources).toEqual(
      ['10.log', '9.log', 'B.log', 'a.log.gz', 'b.log'].map((name) => ({ name: join(folder, name), path: join(folder, name) })),
    );
  });

  it('keeps files as given, in argument order, and reads - as standard input', async () => {
    const second = file('second.log', 'x');
    const first = file('first.log', 'x');
    expect(await expandInputs([second, '-', first])).toEqual([
      { name: second, path: second },
      { name: '-', path: null },
      { name: first, path: first },
    ]);
  });

  it('refuses a missing path with an InputError naming it', async () => {
    const missing = join(root, 'does-not-exist.log');
    const error = await expandInputs([missing]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${missing}: no such file or folder`);
    expect((error as InputError).exitCode).toBe(3);
  });

  it('refuses a folder without visible files', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, '.only-hidden'), 'x');
    const error = await expandInputs([empty]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${empty}: folder holds no files`);
  });
});

describe('openInput', () => {
  const text = logText(3000, 'plain');
  const raw = Buffer.from(text, 'utf8');

  it('reads a plain file as it is, with the SHA-256 and size of its bytes', async () => {
    const path = file('plain.log', raw);
    const opened = openInput({ name: path, path }, 4096);
    expect((await readAll(opened)).equals(raw)).toBe(true);
    expect(opened.fingerprint()).toEqual({ sha256: sha256(raw), bytes: raw.length, gzip: false });
  });

  it('gunzips a gzipped file whatever its name, hashing the compressed bytes', async () => {
    const gz = gzipSync(raw);
    expect(gz.length).toBeLessThan(raw.length / 4);
    const path = file('looks-plain.log', gz);
    const opened = openInput({ name: path, path }, 1024);
    expect((await readAll(opened)).equals(raw)).toBe(true);
    expect(opened.fingerprint()).toEqual({ sha256: sha256(gz), bytes: gz.length, gzip: true });
  });

  it('recognises gzip even when the first piece holds a single byte (as standard input may)', async () => {
    const gz = gzipSync(raw);
    const path = file('byte-by-byte.log.gz', gz);
    const opened = openInput({ name: path, path }, 1);
    expect((await readAll(opened)).equals(raw)).toBe(true);
    expect(opened.fingerprint()).toEqual({ sha256: sha256(gz), bytes: gz.length, gzip: true });
  });

  it('reads concatenated gzip members as one content', async () => {
    const second = logText(500, 'second');
    const gz = Buffer.concat([gzipSync(raw), gzipSync(Buffer.from(second, 'utf8'))]);
    const path = file('concatenated.log.gz', gz);
    const opened = openInput({ name: path, path }, 2048);
    expect((await readAll(opened)).toString('utf8')).toBe(text + second);
    expect(opened.fingerprint()).toEqual({ sha256: sha256(gz), bytes: gz.length, gzip: true });
  });

  it('reads an empty file as no content', async () => {
    const path = file('empty.log', '');
    const opened = openInput({ name: path, path });
    expect((await readAll(opened)).length).toBe(0);
    expect(opened.fingerprint()).toEqual({ sha256: sha256(Buffer.alloc(0)), bytes: 0, gzip: false });
  });

  it('refuses corrupt gzip data with an InputError', async () => {
    const gz = gzipSync(raw);
    const corrupt = Buffer.from(gz);
    for (let index = 20; index < 60; index++) corrupt[index] = 0xff;
    const path = file('corrupt.log.gz', corrupt);
    const error = await readAll(openInput({ name: path, path })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: corrupt or truncated gzip data`));
  });

  it('refuses a truncated gzip file with an InputError', async () => {
    const gz = gzipSync(raw);
    const path = file('truncated.log.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const error = await readAll(openInput({ name: path, path })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain('corrupt or truncated gzip data');
  });

  it('refuses a fingerprint before the content was read', async () => {
    const path = file('unread.log', 'x\n');
    const opened = openInput({ name: path, path });
    expect(() => opened.fingerprint()).toThrow('fingerprint asked before the input was read to the end');
  });

  it('reports a file that disappeared as an InputError', async () => {
    const path = join(root, 'gone.log');
    const error = await readAll(openInput({ name: path, path })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${path}: no such file or folder`);
  });
});

describe('peek', () => {
  it('returns at least the asked head and then everything, head included, once', async () => {
    const raw = Buffer.from(logText(400, 'peek'), 'utf8');
    const path = file('peek.log', raw);
    const opened = openInput({ name: path, path }, 1000);
    const { head, all } = await peek(opened.content, 2500);
    expect(head.equals(raw.subarray(0, 3000))).toBe(true);
    const pieces: Buffer[] = [];
    for await (const piece of all) pieces.push(piece);
    expect(Buffer.concat(pieces).equals(raw)).toBe(true);
    expect(opened.fingerprint().sha256).toBe(sha256(raw));
  });

  it('returns the whole content as head when it is shorter', async () => {
    async function* two(): AsyncGenerator<Buffer> {
      yield Buffer.from('ab');
      yield Buffer.from('cd');
    }
    const { head, all } = await peek(two(), 100);
    expect(head.toString()).toBe('abcd');
    const pieces: string[] = [];
    for await (const piece of all) pieces.push(piece.toString());
    expect(pieces).toEqual(['abcd']);
  });
});

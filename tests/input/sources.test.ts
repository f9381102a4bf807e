import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { ChunkBuffers, contentAfter, countLines, estimatedLogBytes, expandInputs, lineChunks, openInput, peek, prepend, type OpenedInput } from '../../src/input/sources.js';
import { jsonArrayRecords } from '../../src/input/structured.js';
import { prng } from '../support/prng.js';

const root = mkdtempSync(join(tmpdir(), 'suwinet-sources-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
}

/** The pieces, each copied: a file's reader may read the next piece into the same memory. */
async function collect(content: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const pieces: Buffer[] = [];
  for await (const piece of content) pieces.push(Buffer.from(piece));
  return pieces;
}

async function readAll(opened: OpenedInput): Promise<Buffer> {
  return Buffer.concat(await collect(opened.content));
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
      ['10.log', '9.log', 'B.log', 'a.log.gz', 'b.log'].map((name) => ({ name: join(folder, name), path: join(folder, name), inFolder: true })),
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

describe('estimatedLogBytes', () => {
  it('adds up the files, a gzipped one (by its first bytes, whatever its name) at ten times its size', async () => {
    const plain = file('plain.log', 'x'.repeat(1000));
    const gzipped = join(root, 'packed.log');
    writeFileSync(gzipped, gzipSync('y'.repeat(100_000)));
    const packed = statSync(gzipped).size;
    expect(estimatedLogBytes(await expandInputs([plain]))).toBe(1000);
    expect(estimatedLogBytes(await expandInputs([plain, gzipped]))).toBe(1000 + 10 * packed);
    expect(estimatedLogBytes(await expandInputs([file('empty.log', '')]))).toBe(0);
  });

  it('does not know standard input, nor a file that cannot be read now', async () => {
    const plain = file('known.log', 'x');
    expect(estimatedLogBytes(await expandInputs([plain, '-']))).toBeNull();
    expect(estimatedLogBytes([{ name: 'gone.log', path: join(root, 'gone.log') }])).toBeNull();
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

  it('reads a plain file into one piece of memory over and over, and a gzipped one into new pieces', async () => {
    const plain = file('reused.log', raw);
    const memory = new Set<ArrayBufferLike>();
    for await (const piece of openInput({ name: plain, path: plain }, 4096).content) memory.add(piece.buffer);
    // The first piece is a copy (it was gathered to look for the gzip magic); the rest share one buffer.
    expect(memory.size).toBe(2);
    // gunzip holds on to the compressed pieces it is given: were they read into one buffer, this would break.
    const text = Buffer.from(logText(30_000, 'gz'), 'utf8');
    const compressed = gzipSync(text, { level: 1 });
    expect(compressed.length).toBeGreaterThan(40 * 1024);
    const gz = file('fresh.log.gz', compressed);
    expect((await readAll(openInput({ name: gz, path: gz }, 1024))).equals(text)).toBe(true);
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
  it('returns at least the asked head, then the rest without the head; prepend gives everything once', async () => {
    const raw = Buffer.from(logText(400, 'peek'), 'utf8');
    const path = file('peek.log', raw);
    const opened = openInput({ name: path, path }, 1000);
    const { head, rest } = await peek(opened.content, 2500);
    expect(head.equals(raw.subarray(0, 3000))).toBe(true);
    expect(Buffer.concat(await collect(prepend(head, rest))).equals(raw)).toBe(true);
    expect(opened.fingerprint().sha256).toBe(sha256(raw));
  });

  it('yields from rest only what follows the head', async () => {
    const raw = Buffer.from(logText(400, 'rest'), 'utf8');
    const path = file('rest.log', raw);
    const opened = openInput({ name: path, path }, 1000);
    const { head, rest } = await peek(opened.content, 1000);
    expect(head.equals(raw.subarray(0, 1000))).toBe(true);
    expect(Buffer.concat(await collect(rest)).equals(raw.subarray(1000))).toBe(true);
    expect(opened.fingerprint().bytes).toBe(raw.length);
  });

  /** The files this process has open (Linux: /proc/self/fd), to see that a file is closed. */
  const openFiles = () => readdirSync('/proc/self/fd').map((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`); } catch { return ''; } });

  it.runIf(existsSync('/proc/self/fd'))('closes the file when the content is left early, plain or gzipped, at the head or in the rest', async () => {
    const text = Buffer.from(logText(30_000, 'early'), 'utf8');
    for (const [name, bytes] of [['early.log', text], ['early.log.gz', gzipSync(text, { level: 1 })]] as const) {
      const path = file(name, bytes);
      // As a run that stops reads its content: through prepend, left at the head or a piece into the rest.
      for (const leaveAfter of [1, 2, 3]) {
        const { head, rest } = await peek(openInput({ name: path, path }, 4096).content, 4096);
        let pieces = 0;
        for await (const _ of prepend(head, rest)) {
          expect(openFiles()).toContain(path);
          if (++pieces === leaveAfter) break; // as a for-await over the chunks does when the run throws
        }
        // gunzip's stream closes its source on the next turns of the event loop.
        for (let turn = 0; turn < 20 && openFiles().includes(path); turn++) await new Promise((resolve) => setTimeout(resolve, 5));
        expect(openFiles(), `${name}, left after ${leaveAfter} piece(s)`).not.toContain(path);
      }
    }
  });

  it.runIf(existsSync('/proc/self/fd'))('closes a JSON array file when its records are left early', async () => {
    const records = Array.from({ length: 5000 }, (_, index) => ({ login: `user${index}`, bsn: '111222333' }));
    const path = file('early.json', JSON.stringify(records));
    const { head, rest } = await peek(openInput({ name: path, path }, 4096).content, 4096);
    for await (const batch of jsonArrayRecords(prepend(head, rest), path)) {
      expect(batch.length).toBeGreaterThan(0);
      expect(openFiles()).toContain(path);
      break;
    }
    for (let turn = 0; turn < 20 && openFiles().includes(path); turn++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(openFiles()).not.toContain(path);
  });

  async function* two(): AsyncGenerator<Buffer> {
    yield Buffer.from('ab');
    yield Buffer.from('cd');
  }

  it('returns the whole content as head when it is shorter, and an empty rest', async () => {
    const { head, rest } = await peek(two(), 100);
    expect(head.toString()).toBe('abcd');
    expect(await collect(rest)).toEqual([]);
  });

  it('takes whole pieces into the head, and leaves the next pieces to rest', async () => {
    const { head, rest } = await peek(two(), 1);
    expect(head.toString()).toBe('ab');
    expect((await collect(rest)).map(String)).toEqual(['cd']);
  });

  it('reads an empty content as an empty head and rest', async () => {
    async function* none(): AsyncGenerator<Buffer> {}
    const { head, rest } = await peek(none(), 10);
    expect(head.length).toBe(0);
    expect(await collect(rest)).toEqual([]);
  });
});

describe('prepend', () => {
  it('yields the first buffer, then what the rest yields', async () => {
    async function* rest(): AsyncGenerator<Buffer> {
      yield Buffer.from('cd');
      yield Buffer.from('ef');
    }
    const pieces: string[] = [];
    for await (const piece of prepend(Buffer.from('ab'), rest())) pieces.push(piece.toString());
    expect(pieces).toEqual(['ab', 'cd', 'ef']);
  });

  it('yields no empty first piece', async () => {
    async function* rest(): AsyncGenerator<Buffer> {
      yield Buffer.from('cd');
    }
    const pieces: string[] = [];
    for await (const piece of prepend(Buffer.alloc(0), rest())) pieces.push(piece.toString());
    expect(pieces).toEqual(['cd']);
  });
});

describe('countLines', () => {
  const table: Array<[string, string, number]> = [
    ['an empty chunk', '', 0],
    ['one line without LF', 'a', 1],
    ['one line with LF', 'a\n', 1],
    ['a last line without LF', 'a\nb', 2],
    ['blank lines', '\n\n', 2],
    ['CRLF lines (CR is not a line end)', 'a\r\nb\r\nc\rd\r', 3],
    ['LF inside quotes (physical lines)', '"a\nb",c\n', 2],
  ];
  it.each(table)('%s', (_name, text, lines) => {
    expect(countLines(Buffer.from(text, 'utf8'))).toBe(lines);
  });

  it('counts only the bytes of a view into a bigger buffer', () => {
    const whole = Buffer.from('\n\nab\ncd\nef\n\n', 'utf8');
    expect(countLines(whole.subarray(2, 7))).toBe(2); // 'ab\ncd'
    expect(countLines(whole.subarray(2, 8))).toBe(2); // 'ab\ncd\n'
    expect(countLines(new Uint8Array(whole.buffer, whole.byteOffset + 5, 4))).toBe(2); // 'cd\nef'
  });
});

async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

async function chunksOf(bytes: Buffer, pieceSize: number, chunkSize: number, quoteAware?: boolean): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  const options = quoteAware === undefined ? undefined : { quoteAware };
  for await (const chunk of lineChunks(pieces(bytes, pieceSize), chunkSize, options)) chunks.push(chunk);
  return chunks;
}

/** Each chunk owns its ArrayBuffer (so it can be transferred to a worker): none shares one with another or the input. */
function expectOwnBuffers(chunks: Buffer[], input: Buffer): void {
  for (const chunk of chunks) {
    expect(chunk.byteOffset).toBe(0);
    expect(chunk.buffer.byteLength).toBeGreaterThanOrEqual(chunk.length);
    expect(chunk.buffer).not.toBe(input.buffer);
  }
  expect(new Set(chunks.map((chunk) => chunk.buffer)).size).toBe(chunks.length);
}

/** Offsets in `bytes` where one chunk ends and the next begins. */
function cutsOf(chunks: Buffer[]): number[] {
  const cuts: number[] = [];
  let at = 0;
  for (const chunk of chunks.slice(0, -1)) cuts.push((at += chunk.length));
  return cuts;
}

/**
 * Whether each offset of valid CSV lies inside a quoted field: after an odd number of double quotes
 * (doubled quotes inside a field count twice, so they do not change it).
 */
function insideQuotes(bytes: Buffer): (offset: number) => boolean {
  const odd = new Uint8Array(bytes.length + 1);
  for (let at = 0; at < bytes.length; at++) odd[at + 1] = odd[at]! ^ (bytes[at] === 0x22 ? 1 : 0);
  return (offset) => odd[offset] === 1;
}

const CSV_ALPHABET = ['a', 'Z', '7', ' ', ';', 'é', 'ı', '😀', "'", '=', '&'];

/**
 * Valid CSV whose quoted fields often span lines (LF and CRLF inside quotes, doubled quotes, commas), with
 * CRLF or LF between records, and one record with a quoted field of 150 KiB of lines in the middle.
 */
function multiLineCsv(seed: number, records: number): Buffer {
  const random = prng(seed);
  const parts: string[] = [];
  for (let index = 0; index < records; index++) {
    const fields: string[] = [String(index)];
    const count = 2 + Math.floor(random() * 6);
    for (let field = 0; field < count; field++) {
      const kind = random();
      let value = '';
      if (kind < 0.35) {
        const lines = 1 + Math.floor(random() * 6);
        for (let line = 0; line < lines; line++) {
          for (let char = Math.floor(random() * 30); char > 0; char--) value += CSV_ALPHABET[Math.floor(random() * CSV_ALPHABET.length)]!;
          if (line < lines - 1) value += random() < 0.3 ? '\r\n' : '\n';
        }
        if (random() < 0.3) value += '"quoted", too';
      } else {
        for (let char = Math.floor(random() * 12); char > 0; char--) value += CSV_ALPHABET[Math.floor(random() * CSV_ALPHABET.length)]!;
      }
      const mustQuote = /[",\r\n]/.test(value);
      fields.push(mustQuote || random() < 0.2 ? `"${value.replaceAll('"', '""')}"` : value);
    }
    if (index === Math.floor(records / 2)) fields.push(`"${'lange regel\n'.repeat(150 * 1024 / 12)}"`);
    parts.push(fields.join(','), random() < 0.5 ? '\r\n' : '\n');
  }
  return Buffer.from(parts.join(''), 'utf8');
}

/** Records end at CRLF or LF (csv-parse would otherwise take the first line end it meets for all). */
const CSV_OPTIONS = { relax_column_count: true, record_delimiter: ['\r\n', '\n'] };

describe('ChunkBuffers', () => {
  it('hands out a given-back buffer of the chunk size again, keeping at most `keep`, and new ones otherwise', () => {
    const buffers = new ChunkBuffers(1024, 2);
    const first = buffers.take(1024);
    const second = buffers.take(1024);
    const third = buffers.take(1024);
    expect(first.buffer.byteLength).toBe(1024);
    for (const chunk of [first, second, third]) buffers.give(chunk.subarray(0, 10));
    buffers.give(buffers.take(4096)); // a bigger buffer, for a long line: not kept
    const again = [buffers.take(1024), buffers.take(1024), buffers.take(1024)];
    expect(again.filter((chunk) => [first.buffer, second.buffer, third.buffer].includes(chunk.buffer))).toHaveLength(2);
    expect(again.every((chunk) => chunk.length === 1024)).toBe(true);
    expect(buffers.take(512).buffer).not.toBe(again[0]!.buffer);
  });

  it('hands out shared memory for workers where it may, takes each kind back, and keeps spares of one kind at a time', () => {
    const shared = new ChunkBuffers(1024, 1, true);
    const first = shared.take(1024);
    const moved = shared.take(1024, false);
    expect(first.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(moved.buffer).toBeInstanceOf(ArrayBuffer);
    expect(shared.take(4096).buffer).toBeInstanceOf(SharedArrayBuffer); // a long line's bigger buffer too
    shared.give(first.subarray(0, 10));
    expect(shared.take(1024).buffer).toBe(first.buffer);
    shared.give(moved.subarray(0, 10));
    expect(shared.take(1024, false).buffer).toBe(moved.buffer);
    // Spares of one kind are let go when a buffer of the other is taken: a run reads one file at a time.
    shared.give(first.subarray(0, 10));
    shared.give(moved.subarray(0, 10));
    const next = shared.take(1024, false);
    expect(next.buffer).toBe(moved.buffer);
    expect(shared.take(1024).buffer).not.toBe(first.buffer);
    expect(new ChunkBuffers(1024, 1).take(1024).buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('gives lineChunks shared memory for a file read straight into it, not for a content in pieces', async () => {
    const bytes = Buffer.from(logText(3000, 'shared'), 'utf8');
    const path = file('shared.log', bytes);
    const kinds = async (input: Parameters<typeof lineChunks>[0]) => {
      const seen = new Set<string>();
      for await (const chunk of lineChunks(input, 4096, { buffers: new ChunkBuffers(4096, 2, true) })) seen.add(chunk.buffer.constructor.name);
      return [...seen];
    };
    const opened = openInput({ name: path, path }, 1024);
    const { head, rest } = await peek(opened.content, 100);
    expect(await kinds(contentAfter(head, rest, opened))).toEqual(['SharedArrayBuffer']);
    expect(await kinds(pieces(bytes, 70_000))).toEqual(['ArrayBuffer']);
  });

  it('gives lineChunks the same chunks when each is given back once it has been read', async () => {
    const bytes = Buffer.from(logText(5000, 'reuse'), 'utf8');
    const buffers = new ChunkBuffers(4096, 3);
    const seen = new Set<ArrayBufferLike>();
    const copies: Buffer[] = [];
    for await (const chunk of lineChunks(pieces(bytes, 70_000), 4096, { buffers })) {
      copies.push(Buffer.from(chunk));
      seen.add(chunk.buffer);
      buffers.give(chunk);
    }
    expect(Buffer.concat(copies).equals(bytes)).toBe(true);
    expect(copies.length).toBeGreaterThan(50);
    // The start of the next line is set aside before a chunk is handed on: the next chunk is read into it again.
    expect(seen.size).toBe(1);
  });

  it('needs no more buffers than the chunks a caller holds, as analyze holds them (at most `limit` in flight)', async () => {
    const bytes = Buffer.from(logText(5000, 'in flight'), 'utf8');
    const path = file('in-flight.log', bytes);
    for (const limit of [1, 2, 4]) {
      const buffers = new ChunkBuffers(4096, limit, true);
      const seen = new Set<ArrayBufferLike>();
      const copies: Buffer[] = [];
      const inFlight: Buffer[] = [];
      const opened = openInput({ name: path, path }, 1024);
      const { head, rest } = await peek(opened.content, 100);
      for await (const chunk of lineChunks(contentAfter(head, rest, opened), 4096, { buffers })) {
        seen.add(chunk.buffer);
        inFlight.push(chunk);
        // As analyze's submit: a chunk is done (and its buffer given back) once `limit` are in flight.
        while (inFlight.length >= limit) {
          const done = inFlight.shift()!;
          copies.push(Buffer.from(done));
          buffers.give(done);
        }
      }
      copies.push(...inFlight.map((chunk) => Buffer.from(chunk)));
      expect(Buffer.concat(copies).equals(bytes)).toBe(true);
      expect(seen.size, `${limit} in flight`).toBe(limit);
    }
  });
});

describe('lineChunks', () => {
  const csv = multiLineCsv(20260401, 6000);
  const records = parseCsv(csv, CSV_OPTIONS) as string[][];
  const quoted = insideQuotes(csv);

  it('works on CSV that has many line ends inside quotes and one record bigger than any chunk', () => {
    expect(csv.length).toBeGreaterThan(600_000);
    expect(records).toHaveLength(6000);
    expect(records.some((fields) => fields.some((value) => value.includes('\r\n')))).toBe(true);
    expect(Math.max(...records.map((fields) => fields.join(',').length))).toBeGreaterThan(150 * 1024);
    let inside = 0;
    let lineEnds = 0;
    for (let at = csv.indexOf(0x0a); at >= 0; at = csv.indexOf(0x0a, at + 1), lineEnds++) if (quoted(at)) inside++;
    expect(inside / lineEnds).toBeGreaterThan(0.3);
  });

  const sizes: Array<[number, number]> = [
    [1024, 100],
    [1024, 7919],
    [1500, 333],
    [4096, 1024],
    [10_000, 65536],
    [16384, 4096],
    [65536, 3000],
    [65536, 1 << 20],
  ];

  it.each(sizes)('with quoteAware, never cuts inside a quoted field (chunk size %i, pieces of %i)', async (chunkSize, pieceSize) => {
    const chunks = await chunksOf(csv, pieceSize, chunkSize, true);
    expect(Buffer.concat(chunks).equals(csv)).toBe(true);
    expectOwnBuffers(chunks, csv);
    expect(chunks.length).toBeGreaterThan(csv.length / chunkSize / 2);
    for (const chunk of chunks.slice(0, -1)) expect(chunk[chunk.length - 1]).toBe(0x0a);
    const cuts = cutsOf(chunks);
    expect(cuts.filter(quoted)).toEqual([]);
    // Each chunk holds whole records: read on their own, they give the records of the whole file.
    const perChunk = chunks.flatMap((chunk) => parseCsv(chunk, CSV_OPTIONS) as string[][]);
    expect(perChunk).toEqual(records);
    expect(chunks.reduce((lines, chunk) => lines + countLines(chunk), 0)).toBe(countLines(csv));

    // Without quoteAware, the same chunk size cuts inside quoted fields: the test above is not vacuous.
    const plain = await chunksOf(csv, pieceSize, chunkSize);
    expect(Buffer.concat(plain).equals(csv)).toBe(true);
    expectOwnBuffers(plain, csv);
    expect(cutsOf(plain).filter(quoted).length).toBeGreaterThan(0);
  });

  it('keeps a quoted field with line ends that is longer than the chunk size whole', async () => {
    const field = `"${'regel, met ""komma""\r\n'.repeat(200)}"`;
    const bytes = Buffer.from(`a,b\n1,${field}\n2,kort\n3,"x\ny"\n`, 'utf8');
    const chunks = await chunksOf(bytes, 64, 1024, true);
    // The buffer grows until the record ends; what follows it fits in the grown buffer and travels along.
    expect(chunks.map(String)).toEqual(['a,b\n', `1,${field}\n2,kort\n3,"x\ny"\n`]);
    expectOwnBuffers(chunks, bytes);
  });

  it('without quoteAware cuts at the last LF, quoted or not', async () => {
    const bytes = Buffer.from(`"${'x'.repeat(600)}\n${'y'.repeat(600)}"\n`, 'utf8');
    expect((await chunksOf(bytes, 100, 1024, false)).map((chunk) => chunk.length)).toEqual([602, 602]);
    expect((await chunksOf(bytes, 100, 1024, true)).map((chunk) => chunk.length)).toEqual([1204]);
  });

  it('yields nothing for empty content, and the content whole when it is shorter than a chunk', async () => {
    expect(await chunksOf(Buffer.alloc(0), 10, 1024, true)).toEqual([]);
    const short = Buffer.from('a,"b\nc"\nd', 'utf8');
    const chunks = await chunksOf(short, 3, 1024, true);
    expect(chunks.map(String)).toEqual(['a,"b\nc"\nd']);
    expectOwnBuffers(chunks, short);
  });
});

describe('contentAfter', () => {
  /** The chunks and overlong lines of a file read as analyze reads it: head, then the rest, straight or in pieces. */
  async function chunksOfFile(path: string, options: { chunkSize: number; maxLine: number; pieceSize: number; quoteAware?: boolean }) {
    const opened = openInput({ name: path, path }, options.pieceSize);
    const { head, rest, whole } = await peek(opened.content, 100);
    const input = contentAfter(head, rest, opened);
    const overlong: string[] = [];
    const chunks: string[] = [];
    for await (const chunk of lineChunks(input, options.chunkSize, { ...options, overlong: (line) => overlong.push(String(line.start)) })) chunks.push(String(chunk));
    return { direct: 'fill' in input, whole, chunks, overlong, fingerprint: opened.fingerprint() };
  }
  /** The same, from the bytes in pieces of `pieceSize`. */
  async function chunksOfPieces(bytes: Buffer, options: { chunkSize: number; maxLine: number; pieceSize: number; quoteAware?: boolean }) {
    const overlong: string[] = [];
    const chunks: string[] = [];
    for await (const chunk of lineChunks(pieces(bytes, options.pieceSize), options.chunkSize, { ...options, overlong: (line) => overlong.push(String(line.start)) })) chunks.push(String(chunk));
    return { chunks, overlong };
  }

  it('reads a plain file straight into the chunks: the same chunks, overlong lines and hash as from its pieces', async () => {
    const random = prng(20261129);
    let direct = 0;
    for (let round = 0; round < 60; round++) {
      // Lines of every length, some longer than maxLine, some quoted over line ends (for quoteAware).
      let text = '';
      const lines = Math.floor(random() * 40);
      for (let line = 0; line < lines; line++) {
        const length = random() < 0.1 ? 300 + Math.floor(random() * 300) : Math.floor(random() * 60);
        text += (random() < 0.1 ? `"${'q\n'.repeat(3)}"` : '') + 'x'.repeat(length) + (random() < 0.1 ? '\r\n' : '\n');
      }
      if (random() < 0.3) text += 'no line end at the end';
      const bytes = Buffer.from(text, 'utf8');
      const path = file(`direct-${round}.log`, bytes);
      const options = { chunkSize: 16 + Math.floor(random() * 200), maxLine: 256, pieceSize: 1 + Math.floor(random() * 500), quoteAware: random() < 0.5 };
      const read = await chunksOfFile(path, options);
      // A file that fits in the head has no rest to read straight.
      expect(read.direct, `round ${round}`).toBe(!read.whole);
      if (read.direct) direct++;
      expect({ chunks: read.chunks, overlong: read.overlong }, `round ${round}`).toEqual(await chunksOfPieces(bytes, options));
      expect(read.fingerprint).toEqual({ sha256: sha256(bytes), bytes: bytes.length, gzip: false });
    }
    expect(direct).toBeGreaterThan(40);
  });

  it('closes the file when the chunks are not read to the end', async () => {
    const path = file('stopped.log', Buffer.from(logText(3000, 'stop'), 'utf8'));
    const opened = openInput({ name: path, path }, 4096);
    const { head, rest } = await peek(opened.content, 100);
    const input = contentAfter(head, rest, opened);
    expect('fill' in input).toBe(true);
    for await (const chunk of lineChunks(input, 8192)) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    // The file's handle is let go only once it is closed (see filePieces).
    expect(opened.canReadInto()).toBe(false);
    await expect(opened.readInto(Buffer.alloc(10), 0, 10)).rejects.toThrow('readInto needs');
  });

  it('reads a gzipped file, and standard input, from their pieces', async () => {
    const text = Buffer.from(logText(3000, 'gz'), 'utf8');
    const gz = file('pieces.log.gz', gzipSync(text));
    const opened = openInput({ name: gz, path: gz }, 1024);
    const { head, rest } = await peek(opened.content, 100);
    const input = contentAfter(head, rest, opened);
    expect('fill' in input).toBe(false);
    const chunks: Buffer[] = [];
    for await (const chunk of lineChunks(input, 8192)) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).equals(text)).toBe(true);
    expect(openInput({ name: '-', path: null }).canReadInto()).toBe(false);
  });
});

import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from '../errors.js';

/** An input as the run sees it: a file path, or `-` for standard input. */
export interface InputSource {
  /** The name used in outputs: the path as given, or `-`. */
  name: string;
  path: string | null;
}

/**
 * Expands the command-line inputs: files as given, folders to the files directly inside them in name
 * order (hidden files and subfolders skipped), `-` to standard input.
 */
export async function expandInputs(inputs: readonly string[]): Promise<InputSource[]> {
  const sources: InputSource[] = [];
  for (const input of inputs) {
    if (input === '-') {
      sources.push({ name: '-', path: null });
      continue;
    }
    let stat;
    try {
      stat = await fs.stat(input);
    } catch (error) {
      throw new InputError(`${input}: ${describeFsError(error)}`, { hint: 'check the path', cause: error });
    }
    if (stat.isDirectory()) {
      const entries = await fs.readdir(input, { withFileTypes: true });
      const files = entries
        .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
        .map((entry) => entry.name)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (files.length === 0) throw new InputError(`${input}: folder holds no files`, { hint: 'point at the folder with the logs' });
      for (const file of files) sources.push({ name: join(input, file), path: join(input, file) });
    } else {
      sources.push({ name: input, path: input });
    }
  }
  return sources;
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return (error as Error)?.message ?? String(error);
}

/** The raw bytes of an input, as read: their SHA-256 and size, for the evidence. */
export interface Fingerprint {
  sha256: string;
  bytes: number;
  gzip: boolean;
}

export interface OpenedInput {
  /** Decompressed content, in pieces. */
  content: AsyncIterable<Buffer>;
  /** Available once `content` has been read to the end. */
  fingerprint(): Fingerprint;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Opens an input for streaming: hashes the raw bytes as they pass, and gunzips when the content starts
 * with the gzip magic bytes (whatever the file is called). Concatenated gzip members are read as one.
 */
export function openInput(source: InputSource, highWaterMark = 1 << 20): OpenedInput {
  const hash = createHash('sha256');
  let bytes = 0;
  let gzip = false;
  let done = false;
  const raw: Readable = source.path === null ? process.stdin : createReadStream(source.path, { highWaterMark });

  async function* hashed(): AsyncGenerator<Buffer> {
    try {
      for await (const piece of raw as AsyncIterable<Buffer>) {
        hash.update(piece);
        bytes += piece.length;
        yield piece;
      }
    } catch (error) {
      throw new InputError(`${source.name}: ${describeFsError(error)}`, { cause: error });
    }
    done = true;
  }

  async function* content(): AsyncGenerator<Buffer> {
    const pieces = hashed();
    // Standard input may deliver a single byte first: gather enough to see the two magic bytes.
    let first: Buffer = Buffer.alloc(0);
    while (first.length < GZIP_MAGIC.length) {
      const next = await pieces.next();
      if (next.done) break;
      first = first.length === 0 ? next.value : Buffer.concat([first, next.value]);
    }
    if (first.length === 0) return;
    gzip = first[0] === GZIP_MAGIC[0] && first[1] === GZIP_MAGIC[1];
    if (!gzip) {
      yield first;
      yield* pieces;
      return;
    }
    const gunzip = createGunzip();
    const compressed = Readable.from(
      (async function* () {
        yield first;
        yield* pieces;
      })(),
    );
    compressed.on('error', (error) => gunzip.destroy(error));
    compressed.pipe(gunzip);
    try {
      for await (const piece of gunzip as AsyncIterable<Buffer>) yield piece;
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`${source.name}: corrupt or truncated gzip data (${(error as Error).message})`, {
        hint: 'download the file again',
        cause: error,
      });
    }
  }

  return {
    content: content(),
    fingerprint() {
      if (!done) throw new Error('fingerprint asked before the input was read to the end');
      return { sha256: hash.digest('hex'), bytes, gzip };
    },
  };
}

/**
 * Reads the first `size` bytes (or all, when shorter) for layout detection and returns them with an
 * iterator that yields everything, head included.
 */
export async function peek(
  content: AsyncIterable<Buffer>,
  size: number,
): Promise<{ head: Buffer; all: AsyncIterable<Buffer> }> {
  const iterator = content[Symbol.asyncIterator]();
  const taken: Buffer[] = [];
  let length = 0;
  let finished = false;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) {
      finished = true;
      break;
    }
    taken.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(taken);
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (finished) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, all: all() };
}

/**
 * Cuts a byte stream into chunks of about `chunkSize` that end on a line boundary (LF), so each chunk
 * can be parsed on its own. A line longer than the chunk size travels whole in a bigger chunk.
 */
export async function* lineChunks(content: AsyncIterable<Buffer>, chunkSize: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingLength = 0;
  for await (const piece of content) {
    pending.push(piece);
    pendingLength += piece.length;
    if (pendingLength < chunkSize) continue;
    const joined = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
    let start = 0;
    while (joined.length - start >= chunkSize) {
      let end = joined.lastIndexOf(0x0a, start + chunkSize - 1);
      if (end < start) end = joined.indexOf(0x0a, start + chunkSize);
      if (end < 0) break;
      yield joined.subarray(start, end + 1);
      start = end + 1;
    }
    pending = [joined.subarray(start)];
    pendingLength = joined.length - start;
  }
  if (pendingLength > 0) yield pending.length === 1 ? pending[0]! : Buffer.concat(pending);
}

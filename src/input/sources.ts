import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, promises as fs, readSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, type Duplex } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError, InterruptedError } from '../errors.js';

/** An input as the run sees it: a file path, or `-` for standard input. */
export interface InputSource {
  /** The name used in outputs: the path as given, or `-`. */
  name: string;
  path: string | null;
  /** Found inside a folder given as input (not named on the command line). */
  inFolder?: boolean;
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
      for (const file of files) sources.push({ name: join(input, file), path: join(input, file), inFolder: true });
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
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'no space left on the disk';
  if (code === 'EROFS') return 'the disk is read-only';
  return (error as Error)?.message ?? String(error);
}

/** The raw bytes of an input, as read: their SHA-256 and size, for the evidence. */
export interface Fingerprint {
  sha256: string;
  bytes: number;
  gzip: boolean;
}

export interface OpenedInput {
  /**
   * Decompressed content, in pieces. A piece may be overwritten by the next one: read or copy it before
   * asking for the next.
   */
  content: AsyncIterable<Buffer>;
  /** Available once `content` has been read to the end. */
  fingerprint(): Fingerprint;
  /** Raw bytes read so far (for progress). */
  bytesRead(): number;
  /**
   * Whether the rest of the content can be read straight into the caller's memory (`readInto`): a regular
   * file that is not gzipped, once `content` has been read from and not to its end.
   */
  canReadInto(): boolean;
  /**
   * Reads up to `length` bytes of the content that `content` has not given yet into `target` at `offset`,
   * hashed as they pass; returns how many (0 at the end). Only when canReadInto says so.
   */
  readInto(target: Buffer, offset: number, length: number): Promise<number>;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Whether the first `length` bytes of `head` start a gzip stream (whatever the file is called). */
function isGzip(head: Uint8Array, length = head.length): boolean {
  return length >= GZIP_MAGIC.length && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}
/** How much a gzipped log shrinks, about (the 2 M bench month: 1.02 GB to 107 MB). */
const GZIP_RATIO = 10;

/**
 * About how many bytes of log the inputs hold: a gzipped file (by its first two bytes) counts ten times its
 * size. Null when that is not known beforehand: standard input, or a file that cannot be read now (reading
 * it reports why, in its turn).
 */
export function estimatedLogBytes(sources: readonly InputSource[]): number | null {
  let total = 0;
  const magic = Buffer.alloc(GZIP_MAGIC.length);
  for (const source of sources) {
    if (source.path === null) return null;
    try {
      const fd = openSync(source.path, 'r');
      try {
        const size = fstatSync(fd).size;
        total += isGzip(magic, readSync(fd, magic, 0, GZIP_MAGIC.length, 0)) ? GZIP_RATIO * size : size;
      } finally {
        closeSync(fd);
      }
    } catch {
      return null;
    }
  }
  return total;
}

/** A stream's pieces; an interrupt must not wait for input that may never come (a stalled producer). */
function interruptible(stream: Readable, signal?: AbortSignal): AsyncIterable<Buffer> {
  signal?.addEventListener('abort', () => stream.destroy(new InterruptedError('interrupted; nothing was written')), { once: true });
  return stream as AsyncIterable<Buffer>;
}

/** The handle of a regular file while its pieces are read (see filePieces), for reading past them (readInto). */
interface OpenFile {
  handle: fs.FileHandle | null;
}

/**
 * The pieces of a file. A regular file is read into one buffer over and over, once its first piece has
 * shown it is not gzip (`reuse`): a stream allocates a new megabyte per read, and a gigabyte of log left
 * tens of megabytes of dead pieces waiting for the garbage collector. Anything else (a named pipe) is
 * streamed, so that an interrupt can stop a read that waits for a stalled writer. While a regular file is
 * open, its handle is in `open`.
 */
async function* filePieces(path: string, highWaterMark: number, reuse: () => boolean, open: OpenFile, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const handle = await fs.open(path, 'r');
  try {
    if (!(await handle.stat()).isFile()) {
      yield* interruptible(handle.createReadStream({ highWaterMark, autoClose: false }), signal);
      return;
    }
    open.handle = handle;
    let buffer = Buffer.allocUnsafeSlow(highWaterMark);
    for (let first = true; ; first = false) {
      if (signal?.aborted) throw new InterruptedError('interrupted; nothing was written');
      if (!first && !reuse()) buffer = Buffer.allocUnsafeSlow(highWaterMark);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    open.handle = null;
    await handle.close();
  }
}

/**
 * Opens an input for streaming: hashes the raw bytes as they pass, and gunzips when the content starts
 * with the gzip magic bytes (whatever the file is called). Concatenated gzip members are read as one.
 */
export function openInput(source: InputSource, highWaterMark = 1 << 20, signal?: AbortSignal): OpenedInput {
  const hash = createHash('sha256');
  let bytes = 0;
  let gzip: boolean | null = null;
  let done = false;
  const file: OpenFile = { handle: null };
  // The gunzip stream holds on to what it is given: its pieces must stay as they are.
  const raw: AsyncIterable<Buffer> =
    source.path === null ? interruptible(process.stdin, signal) : filePieces(source.path, highWaterMark, () => gzip === false, file, signal);
  const readError = (error: unknown) => new InputError(`${source.name}: ${describeFsError(error)}`, { cause: error });
  /** Every byte read, by pieces or by readInto, is hashed and counted once, as it passes. */
  const passed = (read: Uint8Array) => {
    hash.update(read);
    bytes += read.length;
  };

  async function* hashed(): AsyncGenerator<Buffer> {
    try {
      for await (const piece of raw) {
        passed(piece);
        yield piece;
      }
    } catch (error) {
      if (error instanceof InterruptedError) throw error;
      throw readError(error);
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
      first = Buffer.concat([first, next.value]);
    }
    if (first.length === 0) return;
    gzip = isGzip(first);
    // Through prepend: left early, even at `first`, it returns `pieces`, which closes the file.
    if (!gzip) {
      yield* prepend(first, pieces);
      return;
    }
    // Output in pieces of the read size, not zlib's 16 KiB: every piece costs a trip through the generators.
    const gunzip = createGunzip({ chunkSize: Math.max(highWaterMark, 64 << 10) });
    try {
      yield* through<Buffer>(prepend(first, pieces), gunzip);
    } catch (error) {
      if (error instanceof InputError || error instanceof InterruptedError) throw error;
      throw new InputError(`${source.name}: corrupt or truncated gzip data (${(error as Error).message})`, {
        hint: 'download the file again',
        cause: error,
      });
    }
  }

  const canReadInto = () => gzip === false && file.handle !== null && !done;
  return {
    content: content(),
    bytesRead: () => bytes,
    canReadInto,
    async readInto(target, offset, length) {
      if (!canReadInto()) throw new Error('readInto needs a regular file that is not gzipped, open and not read to its end');
      if (signal?.aborted) throw new InterruptedError('interrupted; nothing was written');
      let bytesRead: number;
      try {
        ({ bytesRead } = await file.handle!.read(target, offset, length, null));
      } catch (error) {
        throw readError(error);
      }
      if (bytesRead === 0) {
        done = true;
        return 0;
      }
      passed(target.subarray(offset, offset + bytesRead));
      return bytesRead;
    },
    fingerprint() {
      if (!done) throw new Error('fingerprint asked before the input was read to the end');
      return { sha256: hash.digest('hex'), bytes, gzip: gzip === true };
    },
  };
}

/**
 * Reads the first `size` bytes (or all, when shorter) for layout and encoding detection, and returns them with
 * an iterator over the rest; `whole` when the head is the entire content.
 */
export async function peek(content: AsyncIterable<Buffer>, size: number): Promise<{ head: Buffer; rest: AsyncIterable<Buffer>; whole: boolean }> {
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
    taken.push(Buffer.from(next.value)); // the next piece may be read into the same memory
    length += next.value.length;
  }
  return { head: Buffer.concat(taken), rest: closingRest(iterator, finished), whole: finished };
}

/**
 * What `stream` (gunzip, a JSON parser) makes of `content`, piece by piece. Left early, the stream is
 * destroyed and so is the content's reader: a pipe does not destroy its source, which would leave the file
 * under it open.
 */
export async function* through<T>(content: AsyncIterable<Buffer>, stream: Duplex): AsyncGenerator<T> {
  const source = Readable.from(content);
  source.on('error', (error) => stream.destroy(error));
  source.pipe(stream);
  try {
    yield* stream as AsyncIterable<T>;
  } finally {
    source.destroy();
  }
}

/**
 * The rest of a content after its head. Its `return` reaches the content's generators also before the rest
 * was read from (a generator returned before it starts runs no `finally`), so that a run that stops early
 * closes its file instead of leaving it to the garbage collector.
 */
function closingRest(iterator: AsyncIterator<Buffer>, finished: boolean): AsyncIterableIterator<Buffer> {
  const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () => (finished ? Promise.resolve(done) : iterator.next()),
    async return() {
      await iterator.return?.();
      return done;
    },
  };
}

/** `first`, then everything `rest` yields; left early, also before `rest` was reached, it returns `rest`. */
export async function* prepend(first: Buffer, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const iterator = rest[Symbol.asyncIterator]();
  try {
    if (first.length > 0) yield first;
    yield* { [Symbol.asyncIterator]: () => iterator };
  } finally {
    await iterator.return?.();
  }
}

const LF = 0x0a;
const QUOTE = 0x22;

/** The last LF in `buffer[0, length)`, or -1. */
function lastLineEnd(buffer: Buffer, length: number): number {
  return length === 0 ? -1 : buffer.lastIndexOf(LF, length - 1);
}

/**
 * The last LF in `buffer[0, length)` that is outside double quotes (an even number of quotes before it), or
 * -1. The chunk starts outside quotes, because every chunk is cut at such a point.
 */
function lastRecordEnd(buffer: Buffer, length: number): number {
  let quotes = 0;
  for (let at = buffer.indexOf(QUOTE); at >= 0 && at < length; at = buffer.indexOf(QUOTE, at + 1)) quotes++;
  let scannedFrom = length;
  for (let candidate = lastLineEnd(buffer, length); candidate >= 0; candidate = lastLineEnd(buffer, candidate)) {
    for (let at = buffer.indexOf(QUOTE, candidate); at >= 0 && at < scannedFrom; at = buffer.indexOf(QUOTE, at + 1)) quotes--;
    if (quotes % 2 === 0) return candidate;
    scannedFrom = candidate;
  }
  return -1;
}

/**
 * Chunk buffers that have been evaluated, for the next chunks to be read into. A chunk's buffer goes to a
 * worker and comes back with its result; reusing it, instead of allocating a buffer per chunk, keeps the dead
 * buffers of hundreds of chunks from piling up in both threads until the garbage collector gets to them.
 *
 * `shared` (for workers): the chunks of a file read straight into them are SharedArrayBuffers, handed to a
 * worker as they are, not moved. An ArrayBuffer moved into a thread counts there as newly allocated memory
 * outside the heap, and V8 collects garbage when that has grown by some tens of megabytes: with 8 MiB chunks
 * going back and forth, the main thread did some 25 young-generation collections and the workers twice the
 * full ones in a run of 2 M v5 lookups for that alone. Shared memory is not counted per thread. The chunks
 * of a content that comes in pieces (gunzip, standard input) are still moved: each piece is garbage of the
 * main thread once copied, and the collections that moving brings on are what keeps that from piling up
 * (shared, the 1 GB gzipped bench file peaked 20 MiB higher, for 3% of CPU time).
 */
export class ChunkBuffers {
  private readonly free: ArrayBuffer[] = [];
  private readonly freeShared: SharedArrayBuffer[] = [];

  /** `size`: the chunk size (other sizes, for long lines, are not kept); `keep`: at most this many spare. */
  constructor(
    private readonly size: number,
    private readonly keep: number,
    private readonly shared = false,
  ) {}

  /**
   * A buffer of `size` bytes: a spare one when there is one of that size, else a new one. `shareable`: the
   * chunk may be shared memory (see the class).
   */
  take(size: number, shareable = true): Buffer {
    const shared = this.shared && shareable;
    // One file is read at a time: spares of the other kind wait for a file like theirs, and are let go.
    (shared ? this.free : this.freeShared).length = 0;
    const spare = size === this.size ? (shared ? this.freeShared : this.free).pop() : undefined;
    if (spare) return Buffer.from(spare);
    return shared ? Buffer.from(new SharedArrayBuffer(size)) : Buffer.allocUnsafeSlow(size);
  }

  /** Takes back the buffer of a chunk that nothing reads any more. */
  give(chunk: Uint8Array): void {
    const { buffer } = chunk;
    if (buffer.byteLength !== this.size) return;
    if (buffer instanceof SharedArrayBuffer) {
      if (this.freeShared.length < this.keep) this.freeShared.push(buffer);
    } else if (buffer instanceof ArrayBuffer && this.free.length < this.keep) {
      this.free.push(buffer);
    }
  }
}

/** A line of `maxLine` bytes or more: not held in memory, only its start is kept for the reject. */
export interface OverlongLine {
  /** The first bytes of the line (at most EXCERPT_BYTES). */
  start: Buffer;
}

const EXCERPT_BYTES = 800;

/**
 * Cuts a byte stream into chunks of about `chunkSize` that end on a line boundary (for CSV: on a record
 * boundary, outside quotes), so that each chunk can be parsed on its own. Every chunk has an ArrayBuffer of
 * its own, so it can be transferred to a worker without copying. A line longer than the chunk size travels
 * whole in a bigger chunk, up to `maxLine` bytes:
 * - a line of `maxLine` bytes or more is skipped to its end and handed to `overlong` instead (in order:
 *   before the chunk after it), so that a file without line breaks cannot fill the memory;
 * - for CSV, a record that is still inside quotes after `maxLine` bytes (a stray quote) is cut at its last
 *   line break anyway; the parser then rejects it as an unclosed quote, and reading goes on after it.
 * Both happen at `maxLine` bytes from the start of the line or record, whatever the chunk size.
 */
export async function* lineChunks(
  input: AsyncIterable<Buffer> | ByteFiller,
  chunkSize: number,
  options: { quoteAware?: boolean; maxLine?: number; overlong?: (line: OverlongLine) => void; buffers?: ChunkBuffers } = {},
): AsyncGenerator<Buffer> {
  const cutAt = options.quoteAware ? lastRecordEnd : lastLineEnd;
  const maxLine = Math.max(options.maxLine ?? Infinity, chunkSize);
  // Read straight into the chunk buffers (a plain file), or copied from pieces.
  const direct = 'fill' in input;
  const filler = direct ? input : piecesFiller(input);
  const allocate = (size: number) => options.buffers?.take(size, direct) ?? Buffer.allocUnsafeSlow(size);
  let buffer = allocate(chunkSize);
  let length = 0;
  /** While skipping an overlong line: bytes are dropped until its LF. */
  let skipping = false;
  try {
    for (;;) {
      if (length === buffer.length) {
        let cut = cutAt(buffer, length);
        if (cut < 0 && length === maxLine) {
          // The buffer starts where a line (or record) starts, and never holds more than maxLine bytes: that
          // line or record has just reached maxLine bytes, wherever the chunks were cut.
          cut = options.quoteAware ? lastLineEnd(buffer, length) : -1;
          if (cut < 0) {
            options.overlong?.({ start: Buffer.from(buffer.subarray(0, EXCERPT_BYTES)) });
            length = 0;
            skipping = true;
            continue;
          }
        }
        if (cut < 0) {
          const bigger = allocate(Math.min(buffer.length * 2, maxLine));
          buffer.copy(bigger, 0, 0, length);
          buffer = bigger;
          continue;
        }
        // The start of the next line is set aside (a copy: the chunk may be moved to a worker) and the next
        // buffer taken only once the chunk is handed on, by when the caller has let go of one that is done:
        // taken before, one buffer more was in use at a time (8 MiB of the peak).
        const carry = Buffer.from(buffer.subarray(cut + 1, length));
        yield buffer.subarray(0, cut + 1);
        // After a long line grew the buffer, what is carried over may exceed the chunk size (never maxLine).
        buffer = allocate(Math.min(maxLine, Math.max(chunkSize, 2 * carry.length)));
        length = carry.copy(buffer, 0);
        continue;
      }
      const filled = await filler.fill(buffer, length);
      if (filled === 0) break;
      if (skipping) {
        // Skipping starts with an empty buffer: what was just filled is all there is.
        const newline = buffer.subarray(0, filled).indexOf(LF);
        if (newline < 0) continue;
        skipping = false;
        length = buffer.copy(buffer, 0, newline + 1, filled);
        continue;
      }
      length += filled;
    }
  } finally {
    await filler.close();
  }
  if (length === maxLine && !options.quoteAware && lastLineEnd(buffer, length) < 0) {
    // The file ends in a line of exactly maxLine bytes: too long, as any longer one.
    options.overlong?.({ start: Buffer.from(buffer.subarray(0, EXCERPT_BYTES)) });
  } else if (length > 0) {
    yield buffer.subarray(0, length);
  }
}

/** Where lineChunks takes its bytes from: a piece at a time, or read straight into its buffers. */
export interface ByteFiller {
  /** Puts the next bytes into `buffer` from `at` on, at most up to its end; returns how many (0: no more). */
  fill(buffer: Buffer, at: number): Promise<number>;
  /** Lets go of the input (its file is closed), whether or not it was read to the end. */
  close(): Promise<void>;
}

const NO_BYTES: Buffer = Buffer.alloc(0);

/** Copies what fits of `source` from `offset` on into `buffer` from `at` on; returns how many bytes. */
function copyInto(source: Buffer, offset: number, buffer: Buffer, at: number): number {
  return source.copy(buffer, at, offset, Math.min(source.length, offset + buffer.length - at));
}

/** The bytes of `content`, copied from its pieces. */
function piecesFiller(content: AsyncIterable<Buffer>): ByteFiller {
  const iterator = content[Symbol.asyncIterator]();
  let piece = NO_BYTES;
  let offset = 0;
  return {
    async fill(buffer, at) {
      while (offset === piece.length) {
        const next = await iterator.next();
        if (next.done) return 0;
        piece = next.value;
        offset = 0;
      }
      const copied = copyInto(piece, offset, buffer, at);
      offset += copied;
      return copied;
    },
    async close() {
      await iterator.return?.();
    },
  };
}

/**
 * The content of an opened input after `head` (read by peek) and `rest`: read straight into the chunk
 * buffers when it can be (a regular file that is not gzipped), else copied from the pieces of `rest`. A
 * piece of 1 MiB copied into the chunk's buffer was the main thread's largest cost after hashing on v5
 * (about 0.15 s of 2 million lookups), and a read of up to a chunk takes one trip to the thread pool
 * instead of eight.
 */
export function contentAfter(head: Buffer, rest: AsyncIterable<Buffer>, opened: OpenedInput): AsyncIterable<Buffer> | ByteFiller {
  if (!opened.canReadInto()) return prepend(head, rest);
  let offset = 0;
  return {
    async fill(buffer, at) {
      if (offset === head.length) return opened.readInto(buffer, at, buffer.length - at);
      const copied = copyInto(head, offset, buffer, at);
      offset += copied;
      return copied;
    },
    async close() {
      // Closes the file under the pieces that were not read from.
      await rest[Symbol.asyncIterator]().return?.();
    },
  };
}

/** Lines in a chunk: its LFs, plus one when it does not end with an LF (the file's last line). */
export function countLines(chunk: Uint8Array): number {
  let lines = 0;
  const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  for (let at = bytes.indexOf(LF); at >= 0; at = bytes.indexOf(LF, at + 1)) lines++;
  return chunk.byteLength > 0 && chunk[chunk.byteLength - 1] !== LF ? lines + 1 : lines;
}

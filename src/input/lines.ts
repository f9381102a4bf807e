/**
 * Turns a chunk of bytes that ends on a line boundary into lines. Pure: the same bytes and first line number
 * always give the same callbacks, wherever the chunk is cut.
 *
 * The chunk is decoded piece by piece as Latin-1 (a byte per character: about four times faster than UTF-8
 * decoding) and lines are handed out as offsets into that piece's string. A line holding any byte of 0x80 or
 * above is decoded again, on its own, as strict UTF-8: names such as `Özlem` come out right, and invalid
 * UTF-8 rejects that line and nothing else. In a Windows-1252 file (see encoding.ts) such a line is decoded as Windows-1252, which
 * maps every byte to a character. A sink that reads its fields through textAt (`utf8Bytes`: the BKWI
 * parsers) gets such a line of a UTF-8 file as it is, with its bytes, and decodes only the fields that
 * are not ASCII.
 */

import { isAscii, isUtf8 } from 'node:buffer';
import { decodeText, hasInvalidBytes, invalidReason, type Encoding } from './encoding.js';

export const EXCERPT_LIMIT = 200;
/** The reason for a line holding a NUL byte: binary junk, not text. */
export const BINARY = 'binary data (NUL byte)';

export interface LineSink {
  /**
   * A line to parse: `text` from `start` to `end` (line break excluded). `bytes`, when given, are the bytes
   * the text was decoded from as Latin-1, a byte per character: the line is ASCII, or (see `utf8Bytes`) valid
   * UTF-8 to be read through textAt. Comparing bytes in place is several times faster than comparing
   * characters of a string.
   */
  record(text: string, start: number, end: number, line: number, bytes?: Uint8Array): void;
  /**
   * Whether the sink reads the fields of a line given with its bytes through textAt: then a line of a UTF-8
   * file that is not ASCII comes as its bytes too (the text their Latin-1), once its piece of the chunk is
   * known to be valid UTF-8. Decoding each such line on its own (a new string, then every field compared and
   * looked up as text) took a microsecond more than an ASCII line: the names of one user in eight in the
   * bench month hold an `ö` or an `é`, and the whole month took 11% longer than without them.
   */
  readonly utf8Bytes?: boolean;
  blank(line: number): void;
  reject(line: number, reason: string, excerpt: string): void;
}

const NON_ASCII = /[\x80-\xff]/g;
const BLANK = /^\s*$/;
const CR = 13;

export function excerptOf(text: string): string {
  return text.length > EXCERPT_LIMIT ? text.slice(0, EXCERPT_LIMIT) : text;
}

function showNul(text: string): string {
  return text.replaceAll('\0', '\\0');
}

/**
 * How much of a chunk is decoded at a time. Node hands out a decoded string of a megabyte or more as an
 * external string, which the garbage collector frees only when external memory has grown by tens of
 * megabytes: a 4 MiB chunk decoded whole left 60–80 MB of dead chunk strings per worker. Pieces of 64 KiB
 * are ordinary young-generation strings that die in the next scavenge.
 */
const PIECE = 64 << 10;

/**
 * Calls the sink for every line of the chunk. Lines end at LF; a CR before it is dropped; a BOM at the
 * start of a file is dropped; a line with a NUL byte is binary junk and rejected. Returns the number of lines.
 */
export function forEachLine(
  bytes: Uint8Array,
  firstLine: number,
  atFileStart: boolean,
  sink: LineSink,
  encoding: Encoding = 'utf-8',
): number {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let line = firstLine;
  // Pieces end after a line break (or at the chunk's end), so that no line is split between two of them.
  for (let from = 0; from < view.length; ) {
    let to = view.length;
    if (from + PIECE < view.length) {
      const newline = view.indexOf(10, from + PIECE - 1);
      if (newline >= 0) to = newline + 1;
    }
    line = linesOfPiece(view, from, to, line, atFileStart && from === 0, sink, encoding);
    from = to;
  }
  return line - firstLine;
}

/** Bytes checked at a time with isAscii before the text is scanned character by character. */
const ASCII_BLOCK = 512;

/**
 * The position of the first non-ASCII character of the piece's text at or after `from`, or the text's
 * length. isAscii (SIMD, at memory speed) skips the blocks of plain ASCII that most of a log is; only a
 * block that has a non-ASCII byte is scanned, by a regular expression that costs about a nanosecond a
 * character.
 */
function nextNonAsciiIn(piece: Buffer, text: string, from: number): number {
  for (let block = from - (from % ASCII_BLOCK); block < text.length; block += ASCII_BLOCK) {
    const start = Math.max(block, from);
    if (isAscii(piece.subarray(start, block + ASCII_BLOCK))) continue;
    NON_ASCII.lastIndex = start;
    return NON_ASCII.exec(text)!.index;
  }
  return text.length;
}

/** The lines of `bytes[from, to)`, which starts a line and ends after a line break or at the chunk's end. */
function linesOfPiece(bytes: Buffer, from: number, to: number, firstLine: number, atFileStart: boolean, sink: LineSink, encoding: Encoding): number {
  const piece = bytes.subarray(from, to);
  const text = piece.toString('latin1');
  const length = text.length;
  // For a sink that reads lines as bytes, a piece of valid UTF-8 (isUtf8 reads ASCII at memory speed)
  // needs no look for the lines that are not ASCII: such a line starting with a visible ASCII character
  // goes to it as an ASCII line does.
  const asBytes = sink.utf8Bytes === true && encoding === 'utf-8' && isUtf8(piece);
  let nextNonAscii = -1;
  let nextNul = -1;
  let start = 0;
  let line = firstLine;
  while (start < length) {
    let newline = text.indexOf('\n', start);
    if (newline < 0) newline = length;
    const end = newline > start && text.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
    if (nextNul < start && nextNul !== length) {
      nextNul = text.indexOf('\0', start);
      if (nextNul < 0) nextNul = length;
    }
    if (nextNul < newline) {
      sink.reject(line, BINARY, excerptOf(showNul(decodeText(piece.subarray(start, end), encoding))));
    } else if (asBytes && isPrintableAscii(text.charCodeAt(start))) {
      sink.record(text, start, end, line, piece);
    } else {
      // A line that may be blank (it starts with a space, or with a character that may be one), or that has
      // a byte order mark at the file's start; and every line of a piece that is not valid UTF-8, so that
      // only its invalid lines are rejected.
      if (nextNonAscii < start && nextNonAscii !== length) nextNonAscii = nextNonAsciiIn(piece, text, start);
      if (nextNonAscii < newline) {
        decodeLine(piece, start, end, line, atFileStart && start === 0, sink, encoding);
      } else if (end === start || (text.charCodeAt(start) <= 32 && BLANK.test(text.slice(start, end)))) {
        sink.blank(line);
      } else {
        sink.record(text, start, end, line, piece);
      }
    }
    start = newline + 1;
    line++;
  }
  return line;
}

/** A visible ASCII character: never part of blank text, whatever follows it. */
function isPrintableAscii(code: number): boolean {
  return code > 32 && code < 127;
}

function decodeLine(bytes: Uint8Array, start: number, end: number, line: number, atFileStart: boolean, sink: LineSink, encoding: Encoding): void {
  const raw = bytes.subarray(start, end);
  if (hasInvalidBytes(raw, encoding)) {
    sink.reject(line, invalidReason(encoding), excerptOf(decodeText(raw, encoding)));
    return;
  }
  let text = decodeText(raw, encoding);
  if (atFileStart && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (BLANK.test(text)) sink.blank(line);
  else sink.record(text, 0, text.length, line);
}

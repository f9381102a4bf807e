import { isAscii, isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import type iconv from 'iconv-lite';

/**
 * Character encodings of input files. BKWI delivers UTF-8, but a log or register that went through Excel on
 * Windows comes back as Windows-1252, where `Özlem` is the single byte 0xD6 and reads as invalid UTF-8.
 */
export const ENCODINGS = ['utf-8', 'windows-1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];
/** What `--encoding` accepts: one encoding for every input, or `auto` to tell each file's own. */
export const ENCODING_CHOICES = ['auto', ...ENCODINGS] as const;
export type EncodingChoice = (typeof ENCODING_CHOICES)[number];

const LF = 0x0a;
/**
 * Windows-1252 through iconv-lite: Node 20's TextDecoder reads the label as ISO-8859-1, turning `€` (0x80)
 * and the other characters of 0x80–0x9F into control codes. It is one byte per character and has no state,
 * so any piece of a file decodes on its own.
 */
function windows1252(bytes: Uint8Array): string {
  // Loaded on first use: most logs are UTF-8, and its tables take megabytes in every worker.
  codec ??= createRequire(import.meta.url)('iconv-lite') as typeof iconv;
  return codec.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'windows-1252');
}

let codec: typeof iconv | undefined;

/**
 * Tells the encoding of a file from its start (`head`; `whole` when that is the entire file). A UTF-8 BOM, or
 * any line with non-ASCII bytes that is valid UTF-8, means UTF-8: one bad line in a UTF-8 file must stay a
 * rejected line, not turn every name in the file into mojibake. Only when every such line is invalid UTF-8 is
 * the file Windows-1252. A file of plain ASCII is UTF-8 (both read it alike). Throws on a UTF-16 BOM, which
 * Excel writes for "Unicode text" and which neither encoding can read.
 */
export function detectEncoding(head: Uint8Array, whole: boolean): Encoding {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new Error('the file is UTF-16 (Excel "Unicode text"); save it as UTF-8 or CSV');
  }
  if (hasUtf8Bom(head)) return 'utf-8';
  // A cut-off last line may end inside a UTF-8 character: look at complete lines only.
  const end = whole ? head.length : head.lastIndexOf(LF) + 1;
  // Valid UTF-8 as a whole is valid line by line (a line break is never part of a UTF-8 character): one look
  // at all of it spares a look at every line, which took 20 ms of a caseload of 40,000 rows, on the way of
  // every run before the workers can start.
  if (isUtf8(head.subarray(0, end))) return 'utf-8';
  let invalid = 0;
  let start = 0;
  while (start < end) {
    let newline = head.indexOf(LF, start);
    if (newline < 0 || newline > end) newline = end;
    const line = head.subarray(start, newline);
    if (!isAscii(line)) {
      if (isUtf8(line)) return 'utf-8';
      invalid++;
    }
    start = newline + 1;
  }
  return invalid > 0 ? 'windows-1252' : 'utf-8';
}

/** Whether `bytes` start with the UTF-8 byte order mark (EF BB BF). */
export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** Text of `bytes` in `encoding`; an invalid byte (sequence) becomes U+FFFD (callers that must reject it check). */
export function decodeText(bytes: Uint8Array, encoding: Encoding): string {
  return encoding === 'windows-1252' ? windows1252(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** Whether `bytes` hold a byte (sequence) that `encoding` does not define. */
export function hasInvalidBytes(bytes: Uint8Array, encoding: Encoding): boolean {
  return encoding === 'utf-8' ? !isUtf8(bytes) : bytes.some((byte) => UNDEFINED_1252.has(byte));
}

const UNDEFINED_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/** The reject reason for a line with bytes its file's encoding does not define. */
export function invalidReason(encoding: Encoding): string {
  return encoding === 'utf-8' ? 'invalid UTF-8' : 'invalid Windows-1252 (byte 0x81, 0x8D, 0x8F, 0x90 or 0x9D)';
}

/** The same text as UTF-8 bytes, for the readers (csv-parse, stream-json) that take UTF-8 only. */
export function toUtf8(bytes: Uint8Array, encoding: Encoding): Buffer {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return encoding === 'utf-8' ? view : Buffer.from(windows1252(bytes), 'utf8');
}

/**
 * A byte stream re-encoded to UTF-8 piece by piece (exact for Windows-1252, which has no multi-byte
 * characters). Every piece is new memory: a stream reads ahead, and a file's reader reuses its pieces.
 */
export async function* utf8Stream(content: AsyncIterable<Buffer>, encoding: Encoding): AsyncGenerator<Buffer> {
  for await (const piece of content) yield encoding === 'utf-8' ? Buffer.from(piece) : toUtf8(piece, encoding);
}

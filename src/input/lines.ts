/**
 * Turns a chunk of bytes that ends on a line boundary into decoded lines. Pure: the same bytes and first
 * line number always give the same callbacks, wherever the chunk is cut.
 */

export const EXCERPT_LIMIT = 200;

export interface LineSink {
  line(text: string, line: number): void;
  blank(line: number): void;
  reject(line: number, reason: string, excerpt: string): void;
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

export function excerptOf(text: string): string {
  return text.length > EXCERPT_LIMIT ? text.slice(0, EXCERPT_LIMIT) : text;
}

/**
 * Decodes UTF-8 once for the whole chunk; only when that fails is each line decoded on its own, so that an
 * invalid byte rejects its line and nothing else. Lines end at LF; a CR before it is dropped. A BOM at the
 * start of a file is dropped. A line with a NUL byte is binary junk and rejected.
 * Returns the number of lines in the chunk.
 */
export function forEachLine(bytes: Uint8Array, firstLine: number, atFileStart: boolean, sink: LineSink): number {
  let texts: string[] | null = null;
  try {
    texts = strictDecoder.decode(bytes).split('\n');
  } catch {
    texts = null;
  }
  if (texts === null) return forEachLineSlow(bytes, firstLine, atFileStart, sink);
  if (texts[texts.length - 1] === '') texts.pop();
  for (let index = 0; index < texts.length; index++) {
    let text = texts[index]!;
    if (index === 0 && atFileStart && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    emit(text, firstLine + index, sink);
  }
  return texts.length;
}

function forEachLineSlow(bytes: Uint8Array, firstLine: number, atFileStart: boolean, sink: LineSink): number {
  let start = 0;
  let line = firstLine;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const lineBytes = bytes.subarray(start, end);
    try {
      let text = strictDecoder.decode(lineBytes);
      if (line === firstLine && atFileStart && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      emit(text, line, sink);
    } catch {
      const reason = lineBytes.includes(0) ? 'binary data (NUL byte)' : 'invalid UTF-8';
      sink.reject(line, reason, excerptOf(stripCr(lenientDecoder.decode(lineBytes)).replaceAll('\0', '\\0')));
    }
    start = end + 1;
    line++;
  }
  return line - firstLine;
}

function stripCr(text: string): string {
  return text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
}

function emit(raw: string, line: number, sink: LineSink): void {
  const text = stripCr(raw);
  if (text.trim() === '') sink.blank(line);
  else if (text.includes('\0')) sink.reject(line, 'binary data (NUL byte)', excerptOf(text.replaceAll('\0', '\\0')));
  else sink.line(text, line);
}

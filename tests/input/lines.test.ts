import { describe, expect, it } from 'vitest';
import type { Encoding } from '../../src/input/encoding.js';
import { EXCERPT_LIMIT, forEachLine } from '../../src/input/lines.js';
import { textAt } from '../../src/input/record.js';
import { countLines, lineChunks } from '../../src/input/sources.js';
import { prng } from '../support/prng.js';

type Event = ['line', number, string] | ['blank', number] | ['reject', number, string, string];

/**
 * The callbacks of forEachLine as events, a record as the text between its offsets (read through textAt,
 * as the parsers do). Checks what parsers rely on: the offsets lie within the text, and the character at
 * `end` is the line break (or the text ends there), so a parser that looks one character past the end never
 * reads the next line. With `utf8Bytes` (the sink of the BKWI parsers), lines that are not ASCII come as
 * bytes: `bytesOf` collects which lines came with bytes.
 */
function eventsOf(bytes: Uint8Array, firstLine: number, atFileStart: boolean, utf8Bytes: boolean, encoding?: Encoding, bytesOf: number[] = []): { events: Event[]; count: number } {
  const events: Event[] = [];
  const count = forEachLine(bytes, firstLine, atFileStart, {
    record: (text, start, end, line, lineBytes) => {
      expect(0 <= start && start < end && end <= text.length, `offsets ${start}..${end} of ${text.length}`).toBe(true);
      expect(end === text.length || text[end] === '\r' || text[end] === '\n', `character after line ${line}`).toBe(true);
      if (lineBytes !== undefined) {
        expect(Buffer.from(text, 'latin1').subarray(start, end), `line ${line}: its bytes`).toEqual(Buffer.from(lineBytes.subarray(start, end)));
        bytesOf.push(line);
      }
      events.push(['line', line, textAt(text, start, end, lineBytes)]);
    },
    utf8Bytes,
    blank: (line) => events.push(['blank', line]),
    reject: (line, reason, excerpt) => events.push(['reject', line, reason, excerpt]),
  }, encoding);
  return { events, count };
}

/** The events of forEachLine, the same whether non-ASCII lines are decoded on their own or come as bytes. */
function record(bytes: Uint8Array, firstLine = 1, atFileStart = true, encoding?: Encoding): { events: Event[]; count: number } {
  const decoded = eventsOf(bytes, firstLine, atFileStart, false, encoding);
  expect(eventsOf(bytes, firstLine, atFileStart, true, encoding), 'with utf8Bytes').toEqual(decoded);
  return decoded;
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const BOM = '\uFEFF';

describe('forEachLine', () => {
  it('reads LF lines with their numbers', () => {
    expect(record(utf8('a\nb\n'))).toEqual({ events: [['line', 1, 'a'], ['line', 2, 'b']], count: 2 });
  });

  it('drops the CR of CRLF line ends, and only that CR', () => {
    expect(record(utf8('a\r\nb\r\r\nc\rd\r\n'))).toEqual({
      events: [['line', 1, 'a'], ['line', 2, 'b\r'], ['line', 3, 'c\rd']],
      count: 3,
    });
  });

  it('reads a last line without a newline', () => {
    expect(record(utf8('a\nlast'))).toEqual({ events: [['line', 1, 'a'], ['line', 2, 'last']], count: 2 });
    expect(record(utf8('a\r\nlast\r'))).toEqual({ events: [['line', 1, 'a'], ['line', 2, 'last']], count: 2 });
  });

  it('counts from the first line number it is given', () => {
    expect(record(utf8('x\ny\n'), 41, false)).toEqual({ events: [['line', 41, 'x'], ['line', 42, 'y']], count: 2 });
  });

  it('reads an empty chunk as no lines', () => {
    expect(record(new Uint8Array(0))).toEqual({ events: [], count: 0 });
  });

  it('reports blank and whitespace-only lines as blank, and counts them', () => {
    expect(record(utf8('a\n\n  \t\r\n\r\nb\n'))).toEqual({
      events: [['line', 1, 'a'], ['blank', 2], ['blank', 3], ['blank', 4], ['line', 5, 'b']],
      count: 5,
    });
  });

  it('drops a BOM at the start of a file', () => {
    expect(record(utf8(`${BOM}a\nb\n`), 1, true).events).toEqual([['line', 1, 'a'], ['line', 2, 'b']]);
  });

  it('keeps a BOM that is not at the start of the file, also at the start of a chunk', () => {
    expect(record(utf8(`a\n${BOM}b\n`), 1, true).events).toEqual([['line', 1, 'a'], ['line', 2, `${BOM}b`]]);
    expect(record(utf8(`${BOM}b\n`), 2, false).events).toEqual([['line', 2, `${BOM}b`]]);
  });

  it('treats a BOM the same whether or not another line of the chunk is invalid UTF-8', () => {
    const bytes = Buffer.concat([utf8(`${BOM}a\n${BOM}b\n`), Buffer.from([0xff, 0x0a]), utf8(`${BOM}c\n`)]);
    expect(record(bytes, 1, true).events).toEqual([
      ['line', 1, 'a'],
      ['line', 2, `${BOM}b`],
      ['reject', 3, 'invalid UTF-8', '\uFFFD'],
      ['line', 4, `${BOM}c`],
    ]);
    expect(record(bytes, 7, false).events[0]).toEqual(['line', 7, `${BOM}a`]);
  });

  it('rejects a line with a NUL byte, showing the NUL as \\0', () => {
    expect(record(utf8('a\nb\0c\r\nd'))).toEqual({
      events: [['line', 1, 'a'], ['reject', 2, 'binary data (NUL byte)', 'b\\0c'], ['line', 3, 'd']],
      count: 3,
    });
  });

  it('calls binary junk binary even when it is also invalid UTF-8', () => {
    const bytes = Buffer.concat([utf8('a\n'), Buffer.from([0x00, 0xff, 0x41, 0x0a]), utf8('d\n')]);
    expect(record(bytes).events).toEqual([['line', 1, 'a'], ['reject', 2, 'binary data (NUL byte)', '\\0\uFFFDA'], ['line', 3, 'd']]);
  });

  it('rejects only the line with invalid UTF-8, keeping its neighbours and the line numbers', () => {
    const bytes = Buffer.concat([
      utf8('eerste ü\r\n'),
      Buffer.from([0x62, 0xc3, 0x28, 0x0d, 0x0a]), // "b", a broken two-byte sequence, CRLF
      utf8('derde ı\r\n\r\n'),
      Buffer.from([0xe2, 0x82]), // a truncated three-byte sequence on the last line, no newline
    ]);
    expect(record(bytes, 10, false)).toEqual({
      events: [
        ['line', 10, 'eerste ü'],
        ['reject', 11, 'invalid UTF-8', 'b\uFFFD('],
        ['line', 12, 'derde ı'],
        ['blank', 13],
        ['reject', 14, 'invalid UTF-8', '\uFFFD'],
      ],
      count: 5,
    });
  });

  it('still drops the BOM at file start and reads NUL lines when another line is invalid UTF-8', () => {
    const bytes = Buffer.concat([utf8(`${BOM}a\nb\0\n`), Buffer.from([0xc0, 0x0a]), utf8('\n')]);
    expect(record(bytes)).toEqual({
      events: [['line', 1, 'a'], ['reject', 2, 'binary data (NUL byte)', 'b\\0'], ['reject', 3, 'invalid UTF-8', '\uFFFD'], ['blank', 4]],
      count: 4,
    });
  });

  it('cuts the excerpt of a rejected line to 200 characters', () => {
    const long = `${'x'.repeat(300)}\0`;
    const [event] = record(utf8(long)).events;
    expect(event).toEqual(['reject', 1, 'binary data (NUL byte)', 'x'.repeat(EXCERPT_LIMIT)]);
    expect(EXCERPT_LIMIT).toBe(200);
    const invalid = Buffer.concat([utf8('é'.repeat(150)), Buffer.from([0xff]), utf8('ü'.repeat(150))]);
    expect(record(invalid).events).toEqual([['reject', 1, 'invalid UTF-8', `${'é'.repeat(150)}\uFFFD${'ü'.repeat(49)}`]]);
  });

  it('reads lines with non-ASCII names right, in a chunk of mostly ASCII lines', () => {
    const bytes = utf8('info3 eerste regel\nÖzlem Çelik,Gemeente Súdwest-Fryslân\r\n5,Karin Yılmaz 😀,ĳ\nlaatste regel\r\n');
    const seen: Array<{ text: string; start: number; end: number; line: number }> = [];
    const count = forEachLine(bytes, 1, true, {
      record: (text, start, end, line) => seen.push({ text, start, end, line }),
      blank: () => expect.unreachable('no blank lines'),
      reject: (line, reason) => expect.unreachable(`line ${line} rejected: ${reason}`),
    });
    expect(count).toBe(4);
    expect(seen.map(({ text, start, end, line }) => [line, text.slice(start, end)])).toEqual([
      [1, 'info3 eerste regel'],
      [2, 'Özlem Çelik,Gemeente Súdwest-Fryslân'],
      [3, '5,Karin Yılmaz 😀,ĳ'],
      [4, 'laatste regel'],
    ]);
    // ASCII lines are offsets into the chunk read a byte per character; the others are decoded on their own.
    expect(seen[0]!.text.length).toBe(bytes.length);
    expect(seen[3]!.text.length).toBe(bytes.length);
    expect(seen[3]!.start).toBe(bytes.indexOf('laatste'));
    for (const decoded of [seen[1]!, seen[2]!]) expect([decoded.start, decoded.end]).toEqual([0, decoded.text.length]);
  });

  it('with utf8Bytes, hands over the non-ASCII lines of a valid UTF-8 piece as bytes, and decodes the others', () => {
    const withBytes: number[] = [];
    const bytes = utf8(`${BOM}5,Özlem,1\n5,Özlem,2\n\u00a0\u00a0\n a ö\nplain\nKarin Yılmaz 😀\n\u00a0x\nÖzlem\n`);
    expect(eventsOf(bytes, 1, true, true, undefined, withBytes).events).toEqual([
      ['line', 1, '5,Özlem,1'],
      ['line', 2, '5,Özlem,2'],
      // No-break spaces are blank: a line that may be blank is decoded, whatever it starts with but a
      // visible ASCII character.
      ['blank', 3],
      ['line', 4, ' a ö'],
      ['line', 5, 'plain'],
      ['line', 6, 'Karin Yılmaz 😀'],
      ['line', 7, '\u00a0x'],
      ['line', 8, 'Özlem'],
    ]);
    // Line 1 has the file's byte order mark; line 5 is ASCII, which always comes with its bytes. A BKWI
    // line starts with `5,` or `info`.
    expect(withBytes).toEqual([2, 5, 6]);

    // A piece with one invalid line: its other lines that are not ASCII are decoded one by one.
    const some: number[] = [];
    const invalid = eventsOf(Buffer.concat([utf8('Özlem,1\n'), Buffer.from([0xff, 0x0a]), utf8('plain\nÇelik\n')]), 1, false, true, undefined, some);
    expect(invalid.events).toEqual([['line', 1, 'Özlem,1'], ['reject', 2, 'invalid UTF-8', '\uFFFD'], ['line', 3, 'plain'], ['line', 4, 'Çelik']]);
    expect(some).toEqual([3]);

    // Windows-1252 bytes are not UTF-8: such lines are decoded.
    const windows: number[] = [];
    expect(eventsOf(Buffer.from([0x4f, 0xe9, 0x0a, 0x61, 0x0a]), 1, false, true, 'windows-1252', windows).events).toEqual([['line', 1, 'Oé'], ['line', 2, 'a']]);
    expect(windows).toEqual([2]);
  });

  it('rejects a line of Latin-1 bytes as invalid UTF-8, and only that line', () => {
    const latin1 = Buffer.from('Özlem Çelik,Sint-Oedenrode\r\n', 'latin1');
    expect(latin1[0]).toBe(0xd6);
    const bytes = Buffer.concat([utf8('Özlem Çelik,Gemeente Súdwest-Fryslân\r\n'), latin1, utf8('info3 ascii\nÇelik\n')]);
    expect(record(bytes, 5, false)).toEqual({
      events: [
        ['line', 5, 'Özlem Çelik,Gemeente Súdwest-Fryslân'],
        ['reject', 6, 'invalid UTF-8', '\uFFFDzlem \uFFFDelik,Sint-Oedenrode'],
        ['line', 7, 'info3 ascii'],
        ['line', 8, 'Çelik'],
      ],
      count: 4,
    });
  });
});


/** A file of every kind of line: short, long (up to 5 KiB), blank, CRLF, NUL, invalid UTF-8, BOMs, multibyte. */
function mixedFile(seed: number, lines: number, finalNewline: boolean): Buffer {
  const random = prng(seed);
  const parts: Buffer[] = [utf8(BOM)];
  for (let index = 0; index < lines; index++) {
    const kind = random();
    let line: Buffer;
    if (kind < 0.05) line = utf8('');
    else if (kind < 0.08) line = utf8('   \t');
    else if (kind < 0.11) line = Buffer.concat([utf8('ongeldig '), Buffer.from([0xff, 0xfe]), utf8(' regel')]);
    else if (kind < 0.13) line = utf8('nul\0byte');
    else if (kind < 0.16) line = utf8(`${BOM}bom midden in het bestand ${index}`);
    else if (kind < 0.26) line = utf8(`lang ${'é€😀x'.repeat(100 + Math.floor(random() * 450))}`);
    else line = utf8(`info3 regel ${index} ${'abcdefghij'.repeat(Math.floor(random() * 40))} Yılmaz`);
    parts.push(line, utf8(random() < 0.5 ? '\r\n' : '\n'));
  }
  if (!finalNewline) parts.push(utf8('laatste regel zonder newline'));
  return Buffer.concat(parts);
}

async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

/**
 * Reads `bytes` as the engine does: lineChunks, then forEachLine per chunk from the line after the last
 * chunk's (counted with countLines). The chunks are kept as yielded, so a chunk that a later one overwrote
 * would show in their concatenation; each must own its ArrayBuffer.
 */
async function chunked(bytes: Buffer, pieceSize: number, chunkSize: number): Promise<{ chunks: Buffer[]; events: Event[]; count: number }> {
  const chunks: Buffer[] = [];
  const events: Event[] = [];
  let line = 1;
  for await (const chunk of lineChunks(pieces(bytes, pieceSize), chunkSize)) {
    chunks.push(chunk);
    const result = record(chunk, line, line === 1);
    expect(countLines(chunk)).toBe(result.count);
    events.push(...result.events);
    line += countLines(chunk);
  }
  for (const chunk of chunks) {
    expect(chunk.byteOffset).toBe(0);
    expect(chunk.buffer.byteLength).toBeGreaterThanOrEqual(chunk.length);
    expect(chunk.buffer).not.toBe(bytes.buffer);
  }
  expect(new Set(chunks.map((chunk) => chunk.buffer)).size).toBe(chunks.length);
  return { chunks, events, count: line - 1 };
}

describe('forEachLine on chunks bigger than the pieces it decodes at a time', () => {
  it('reads lines before, across and after each 64 KiB mark, and lines longer than a piece, as one string would', () => {
    const random = prng(11);
    const lines: string[] = [];
    let size = 0;
    while (size < 400_000) {
      const length = [1, 50, 400, 3000, 70_000][Math.floor(random() * 5)]!;
      const line = `${lines.length}:${random() < 0.2 ? 'Özlem Çelik ' : ''}${'a'.repeat(length)}`;
      lines.push(line);
      size += Buffer.byteLength(line) + 1;
    }
    const bytes = utf8(`${lines.join('\n')}\n`);
    const { events, count } = record(bytes, 5, false);
    expect(count).toBe(lines.length);
    expect(events).toEqual(lines.map((line, index) => ['line', index + 5, line]));
  });
});

describe('forEachLine per chunk of lineChunks', () => {
  const cases: Array<[string, number, boolean, number, number]> = [
    ['1 KiB chunks, 100-byte pieces', 1, true, 100, 1024],
    ['1 KiB chunks, 7-byte pieces, no final newline', 2, false, 7, 1024],
    ['1 KiB chunks, 64 KiB pieces', 3, true, 65536, 1024],
    ['1500-byte chunks, 333-byte pieces', 4, false, 333, 1500],
    ['4 KiB chunks, 1 KiB pieces', 5, true, 1024, 4096],
    ['64 KiB chunks, 3000-byte pieces', 6, false, 3000, 65536],
    ['one chunk bigger than the file', 7, true, 4096, 1 << 24],
  ];

  it.each(cases)('%s: same callbacks as one call on the whole buffer', async (_name, seed, finalNewline, pieceSize, chunkSize) => {
    const bytes = mixedFile(seed, 400, finalNewline);
    const whole = record(bytes);
    // the file must exercise what the cutting could break
    const kinds = new Set(whole.events.map((event) => (event[0] === 'reject' ? event[2] : event[0])));
    expect([...kinds].sort()).toEqual(['binary data (NUL byte)', 'blank', 'invalid UTF-8', 'line']);
    expect(whole.events.some((event) => event[0] === 'line' && event[2].startsWith(BOM))).toBe(true);
    expect(whole.events.some((event) => event[0] === 'line' && event[2].length > chunkSize / 2)).toBe(chunkSize < 10_000);
    expect(countLines(bytes)).toBe(whole.count);

    const result = await chunked(bytes, pieceSize, chunkSize);
    expect(Buffer.concat(result.chunks).equals(bytes)).toBe(true);
    for (const chunk of result.chunks.slice(0, -1)) expect(chunk[chunk.length - 1]).toBe(0x0a);
    if (chunkSize < bytes.length) expect(result.chunks.length).toBeGreaterThan(1);
    expect(result.count).toBe(whole.count);
    expect(result.events).toEqual(whole.events);
  });

  it('keeps a line longer than the chunk size whole, in a bigger chunk', async () => {
    const long = `${'x'.repeat(5000)}\n`;
    const bytes = utf8(`kort\n${long}${long}kort\n`);
    const result = await chunked(bytes, 512, 1024);
    // The buffer grows until the first long line ends; the second, carried over whole, then travels with the
    // short line after it.
    expect(result.chunks.map((chunk) => chunk.toString())).toEqual(['kort\n', long, `${long}kort\n`]);
    expect(result.events).toEqual(record(bytes).events);
  });

  it('cuts chunks at the last line end within the chunk size', async () => {
    const line = `${'y'.repeat(299)}\n`; // 300 bytes
    const bytes = utf8(line.repeat(10));
    const result = await chunked(bytes, 10_000, 1024);
    expect(result.chunks.map((chunk) => chunk.length)).toEqual([900, 900, 900, 300]);
  });
});

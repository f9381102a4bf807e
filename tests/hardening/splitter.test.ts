/**
 * Properties of the chunk splitter (lineChunks): whatever the bytes, the reads from disk and the chunk size,
 * the chunks give back the bytes exactly, end on line boundaries (outside quotes for CSV), can each be
 * transferred to a worker, and stay bounded by the chunk size and the longest line.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countLines, lineChunks } from '../../src/input/sources.js';
import { PROPERTY_TIMEOUT, cutAt, cutPoints, runs, showBytes } from './generators.js';

/** Bytes rich in what the splitter looks for: line ends, quotes (doubled and stray), long runs without either. */
const PARTS = ['\n', '\r\n', '"', '""', ',', 'regel', 'x'.repeat(300), '"veld\nover\r\nregels"'].map((text) => Buffer.from(text));
const content = fc
  .array(fc.oneof(fc.constantFrom(...PARTS), fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes))), { maxLength: 80, size: 'max' })
  .map((parts) => {
    const bytes = Buffer.concat(parts);
    return Object.assign(bytes, { [fc.toStringMethod]: () => showBytes(bytes) });
  });

async function chunksOf(pieces: readonly Buffer[], chunkSize: number, quoteAware: boolean): Promise<Buffer[]> {
  async function* source(): AsyncGenerator<Buffer> {
    yield* pieces;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of lineChunks(source(), chunkSize, { quoteAware })) chunks.push(chunk);
  return chunks;
}

/** The longest run of bytes without an LF (quote-aware: without an LF at an even count of quotes). */
function longestRecord(bytes: Buffer, quoteAware: boolean): number {
  let longest = 0;
  let start = 0;
  let quotes = 0;
  for (let at = 0; at < bytes.length; at++) {
    if (bytes[at] === 0x22) quotes++;
    if (bytes[at] === 0x0a && (!quoteAware || quotes % 2 === 0)) {
      longest = Math.max(longest, at + 1 - start);
      start = at + 1;
    }
  }
  return Math.max(longest, bytes.length - start);
}

describe.each([false, true])('lineChunks (quoteAware: %s)', (quoteAware) => {
  it('gives the bytes back exactly, in chunks that end on a line boundary, own their memory and stay bounded', async () => {
    await fc.assert(
      fc.asyncProperty(
        content.chain((bytes) => fc.tuple(fc.constant(bytes), cutPoints(bytes.length, 30), fc.integer({ min: 1, max: 512 }))),
        async ([bytes, cuts, chunkSize]) => {
          const chunks = await chunksOf(cutAt(bytes, cuts), chunkSize, quoteAware);
          expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
          expect(chunks.reduce((lines, chunk) => lines + countLines(chunk), 0)).toBe(countLines(bytes));
          let quotes = 0;
          chunks.forEach((chunk, index) => {
            expect(chunk.length).toBeGreaterThan(0);
            // Each chunk can be transferred to a worker without taking another chunk's bytes along.
            expect(chunk.byteOffset).toBe(0);
            if (index > 0) expect(chunk.buffer).not.toBe(chunks[index - 1]!.buffer);
            // Memory follows the chunk size and the longest line, not the size of the file.
            expect(chunk.length).toBeLessThanOrEqual(2 * Math.max(chunkSize, longestRecord(bytes, quoteAware) + 1));
            for (const byte of chunk) if (byte === 0x22) quotes++;
            if (index < chunks.length - 1) {
              expect(chunk[chunk.length - 1]).toBe(0x0a);
              if (quoteAware) expect(quotes % 2, 'a CSV chunk never ends inside quotes').toBe(0);
            }
          });
        },
      ),
      runs(500),
    );
  }, PROPERTY_TIMEOUT);
});

/**
 * Properties of the layouts read with a real parser through a mapping: header CSV (csv-parse, cut into
 * quote-aware chunks as the engine cuts it) and JSON arrays (stream-json, fed in arbitrary pieces).
 * Invariants of issue 8: nothing but the project's typed errors escapes, every record is counted once, the
 * chunking does not matter, damage stays with its record where the format allows it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateRecords, type ChunkResult } from '../../src/engine/chunk.js';
import { runTask } from '../../src/engine/task.js';
import { InputError } from '../../src/errors.js';
import { detectDelimiter } from '../../src/input/detect.js';
import { countLines, lineChunks } from '../../src/input/sources.js';
import { csvHeader, jsonArrayRecords } from '../../src/input/structured.js';
import {
  CSV_COLUMNS,
  CSV_MAPPING,
  INLEZEN_MAPPING,
  PROPERTY_TIMEOUT,
  TEN_MB,
  anyDamage,
  containedDamage,
  csvFiles,
  cutAt,
  cutPoints,
  damage,
  inlezenRecord,
  jsonArrayFiles,
  runs,
  type GeneratedCsv,
  type Intended,
} from './generators.js';
import { expectEveryLineOnce, outcomeOf, readingOf, withEngines, type Reading } from './support.js';

const engine = withEngines({ csv: CSV_MAPPING, json: { ...INLEZEN_MAPPING, format: 'json' } });

async function* inPieces(pieces: readonly Buffer[]): AsyncGenerator<Buffer> {
  yield* pieces;
}

/** How the engine may cut a file: the chunk size, and where the reads from disk happened to end. */
const chunking = fc.record({ chunkSize: fc.integer({ min: 1, max: 4096 }), pieceSize: fc.integer({ min: 1, max: 1 << 16 }) });

function piecesOf(bytes: Buffer, size: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
  return pieces;
}

/**
 * Reads header CSV as the engine does: the header line on its own, the rest in quote-aware chunks numbered
 * from line 2, each chunk a task of its own.
 */
async function readCsv(file: GeneratedCsv, chunkSize: number, pieceSize: number): Promise<Reading> {
  const origin = { layout: 'csv' as const, file: 'export.csv', source: 0 };
  const headerEnd = file.bytes.indexOf(0x0a) + 1;
  const headerLine = file.bytes.subarray(0, headerEnd).toString('utf8').replace(/\r?\n$/, '');
  const delimiter = detectDelimiter(headerLine);
  expect(delimiter).toBe(file.delimiter);
  const columns = csvHeader(headerLine, delimiter);
  expect(columns).toEqual(CSV_COLUMNS);
  const results: ChunkResult[] = [];
  let line = 2;
  for await (const bytes of lineChunks(inPieces(piecesOf(file.bytes.subarray(headerEnd), pieceSize)), chunkSize, { quoteAware: true })) {
    results.push(await runTask(engine('csv'), { kind: 'csv', bytes, firstLine: line, origin, delimiter, columns }));
    line += countLines(bytes);
  }
  expect(line - 1).toBe(file.lines);
  return readingOf(engine('csv'), origin.file, results, file.lines - 1);
}

describe('header CSV', () => {
  it('reads each valid record as intended on its first line, and damaged ones only on theirs, for any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(csvFiles(containedDamage), chunking, async (file, { chunkSize, pieceSize }) => {
        const reading = await readCsv(file, chunkSize, pieceSize);
        expectEveryLineOnce(reading, file.lines - 1, 2);
        const recordLines = new Set(file.records.map((record) => record.line));
        for (const line of reading.outcomes.keys()) expect(recordLines.has(line), `something read at line ${line}, where no record starts`).toBe(true);
        for (const { line, intended } of file.records) {
          if (intended !== null) expect(outcomeOf(reading, line), `valid record at line ${line}`).toEqual({ kind: 'lookup', ...intended });
          else expect(outcomeOf(reading, line).kind, `damaged record at line ${line}`).not.toBe('blank');
        }
        expect(await readCsv(file, 1 << 20, 1 << 20)).toEqual(reading);
      }),
      runs(200),
    );
  }, PROPERTY_TIMEOUT);

  /**
   * Not asked here: the same result for any chunking. After a stray quote, csv-parse's recovery and the
   * splitter's count of quotes disagree on where records end, so which lines a broken quote swallows (and
   * which line is blamed) depends on where the chunks were cut. Each line is still counted once.
   */
  it('with any damage (stray quotes too): never throws and counts each line once, for any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(csvFiles(anyDamage), chunking, async (file, { chunkSize, pieceSize }) => {
        expectEveryLineOnce(await readCsv(file, chunkSize, pieceSize), file.lines - 1, 2);
        expectEveryLineOnce(await readCsv(file, 1 << 20, 1 << 20), file.lines - 1, 2);
      }),
      runs(200),
    );
  }, PROPERTY_TIMEOUT);
});

/** Reads a JSON array fed in the given pieces: the elements as lookups and rejects, or the InputError. */
async function readJsonArray(pieces: readonly Buffer[]): Promise<Reading | InputError> {
  const origin = { layout: 'json' as const, file: 'inlezen.json', source: 0 };
  const json = engine('json');
  const read = json.parse.mapped!(origin);
  const results: ChunkResult[] = [];
  try {
    for await (const batch of jsonArrayRecords(inPieces(pieces), origin.file)) results.push(evaluateRecords(batch, origin, read, json.runner));
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  const elements = results.reduce((count, result) => count + result.stats.lookups + result.stats.rejects.length, 0);
  return readingOf(json, origin.file, results, elements);
}

describe('JSON arrays', () => {
  it('reads element n as line n, as intended, whatever pieces the bytes arrive in', async () => {
    await fc.assert(
      fc.asyncProperty(
        jsonArrayFiles.chain((file) => fc.tuple(fc.constant(file), cutPoints(file.bytes.length, 20))),
        async ([file, cuts]) => {
          const reading = await readJsonArray(cutAt(file.bytes, cuts));
          if (reading instanceof InputError) throw reading;
          expectEveryLineOnce(reading, file.elements.length);
          file.elements.forEach((intended, index) => {
            const outcome = outcomeOf(reading, index + 1);
            if (intended === null) expect(outcome).toMatchObject({ kind: 'reject', reason: expect.any(String) });
            else expect(outcome).toEqual({ kind: 'lookup', ...intended });
          });
          expect(await readJsonArray([file.bytes])).toEqual(reading);
        },
      ),
      runs(200),
    );
  }, PROPERTY_TIMEOUT);

  it('reads an element of 10 MB like any other, whatever pieces the bytes arrive in', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(inlezenRecord, { maxLength: 5 }), fc.nat(), fc.boolean(), fc.integer({ min: 4096, max: 1 << 20 }), async (records, at, asRecord, pieceSize) => {
        const elements: Array<{ value: unknown; intended: Intended | null }> = [...records];
        // A record with a note of 10 MB is still a record; a bare string of 10 MB is not one.
        const huge = asRecord ? { value: { ...records[0]?.value, opmerking: TEN_MB }, intended: records[0]?.intended ?? null } : { value: TEN_MB, intended: null };
        elements.splice(at % (elements.length + 1), 0, huge);
        const bytes = Buffer.from(JSON.stringify(elements.map((element) => element.value)));
        const reading = await readJsonArray(piecesOf(bytes, pieceSize));
        if (reading instanceof InputError) throw reading;
        expectEveryLineOnce(reading, elements.length);
        elements.forEach(({ intended }, index) => {
          expect(outcomeOf(reading, index + 1).kind).toBe(intended === null ? 'reject' : 'lookup');
          if (intended !== null) expect(outcomeOf(reading, index + 1)).toEqual({ kind: 'lookup', ...intended });
        });
      }),
      { ...runs(3), endOnFailure: true },
    );
  }, PROPERTY_TIMEOUT);

  it('reads damaged JSON into the same records whatever pieces the bytes arrive in, or refuses it with an InputError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .tuple(jsonArrayFiles, anyDamage)
          .map(([file, changes]) => damage(file.bytes, changes))
          .chain((bytes) => fc.tuple(fc.constant(bytes), cutPoints(bytes.length, 20))),
        async ([bytes, cuts]) => {
          const whole = await readJsonArray([bytes]);
          const pieced = await readJsonArray(cutAt(bytes, cuts));
          if (whole instanceof InputError) {
            // The file is refused whatever the pieces. Which element the message names (the last one read
            // before the error surfaced) and stream-json's words for the error depend on the pieces.
            expect(pieced).toBeInstanceOf(InputError);
            for (const error of [whole, pieced as InputError]) expect(error.message).toMatch(/^inlezen\.json: JSON cannot be read after element \d+: /);
          } else {
            expectEveryLineOnce(whole, whole.lines);
            expect(pieced).toEqual(whole);
          }
        },
      ),
      runs(200),
    );
  }, PROPERTY_TIMEOUT);
});

/**
 * Properties of the whole pipeline (prepareAnalysis + analyze, in-thread): files on disk, plain and gzipped,
 * read with chunk sizes from a few bytes to the default. The same bytes give the same counts, rejects,
 * lookups and findings whatever the chunk size; every line is counted once; valid lines are read as intended.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHUNK_SIZE, analyze, prepareAnalysis, type FileReport } from '../../src/engine/analyze.js';
import type { Reject } from '../../src/engine/chunk.js';
import type { Indicators } from '../../src/engine/indicators.js';
import { BUILTIN_RULES } from '../../src/engine/setup.js';
import { KnownError } from '../../src/errors.js';
import type { Mapping } from '../../src/input/mapping.js';
import type { Finding, Layout } from '../../src/rule-api/types.js';
import {
  CSV_MAPPING,
  LINE_LAYOUTS,
  PROPERTY_TIMEOUT,
  assemble,
  containedDamage,
  csvFiles,
  hugeLine,
  lineMix,
  logFile,
  runs,
  validClassicLine,
  validV5Line,
  type Intended,
} from './generators.js';
import { EVERY_LOOKUP, expectEveryLineOnce, outcomeOf, outcomesOf, withReference, type Reading } from './support.js';

const scratch = withReference();

/** What a run gives that must not depend on the chunk size (the fingerprint neither). */
interface Run {
  files: Array<Omit<FileReport, 'sha256' | 'bytes' | 'gzip'>>;
  findings: Finding[];
  rejects: Reject[];
  lookups: number;
  first: number | null;
  last: number | null;
  indicators: Indicators;
}

let written = 0;
/** Writes the bytes to a new file (and a gzipped copy); returns both paths. */
function writeInput(bytes: Buffer, extension: string): { plain: string; gzipped: string } {
  const plain = join(scratch.dir, `input-${++written}.${extension}`);
  const gzipped = join(scratch.dir, `input-${written}-gz.${extension}`);
  writeFileSync(plain, bytes);
  writeFileSync(gzipped, gzipSync(bytes));
  return { plain, gzipped };
}

/** How a run is told about its input: `--format` (or detection) and `--mapping`. */
interface Settings {
  format: 'auto' | Layout;
  mapping?: Mapping;
}

/** One run of the real pipeline, in the main thread; a refused input gives the project's typed error. */
async function run(path: string, chunkSize: number, { format, mapping }: Settings): Promise<Run | KnownError> {
  const rejects: Reject[] = [];
  try {
    const prepared = await prepareAnalysis({
      inputs: [path],
      format,
      mapping,
      timezone: 'Europe/Amsterdam',
      reference: scratch.reference(),
      ruleModules: [BUILTIN_RULES, EVERY_LOOKUP],
      workers: 0,
      chunkSize,
    });
    // Inputs are named files, which are never skipped: a skip would be lines lost.
    const skip = (file: string) => {
      throw new Error(`${file} was skipped`);
    };
    const result = await analyze(prepared, { reject: (reject) => rejects.push(reject), notice: () => undefined, skip });
    const files = result.files.map(({ sha256: _sha256, bytes: _bytes, gzip: _gzip, ...counts }) => counts);
    const { findings, lookups, first, last, indicators } = result;
    return { files, findings, rejects, lookups, first, last, indicators };
  } catch (error) {
    expect(error).toBeInstanceOf(KnownError);
    return error as KnownError;
  }
}

/** The run with the gzipped copy's name put back, to compare it with the run of the plain file. */
function renamed(result: Run | KnownError, from: string, to: string): unknown {
  return JSON.parse(JSON.stringify(result instanceof KnownError ? { error: result.message } : result).replaceAll(from, to));
}

/**
 * A run of one file as a reading of its lines (after `header` lines), the lookups taken from the every-lookup
 * findings (`time user page` in their message).
 */
function readingOfRun(result: Run, header: number): Reading {
  const [file] = result.files;
  const lookups = result.findings
    .filter((finding) => finding.rule === 'every-lookup')
    .map((finding): [number, Intended] => {
      const [time, , page] = finding.message.split(' ');
      return [finding.evidence[0]!.line, { time: Number(time), user: finding.user, bsn: finding.bsn, page: page === '-' ? null : page! }];
    });
  expect(file!.rejects).toBe(result.rejects.length);
  const outcomes = outcomesOf(lookups, result.rejects);
  return { lines: file!.lines - header, lookups: file!.lookups, blank: file!.blank, rejects: result.rejects, outcomes, findings: result.findings };
}

/** Chunk sizes as `--chunk-size` may set them: a few bytes, a few lines, the default. */
const chunkSizes = fc.tuple(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 65, max: 8192 }));

/**
 * Runs a file with two chunk sizes and the default, plain and gzipped: all five runs agree. Returns the run
 * with the default chunk size.
 */
async function expectSameForAnyChunking(bytes: Buffer, extension: string, sizes: readonly number[], settings: Settings): Promise<Run | KnownError> {
  const { plain, gzipped } = writeInput(bytes, extension);
  const baseline = await run(plain, DEFAULT_CHUNK_SIZE, settings);
  for (const size of sizes) expect(renamed(await run(plain, size, settings), plain, 'input')).toEqual(renamed(baseline, plain, 'input'));
  expect(renamed(await run(gzipped, sizes[0]!, settings), gzipped, 'input')).toEqual(renamed(baseline, plain, 'input'));
  return baseline;
}

describe.each(LINE_LAYOUTS)('the pipeline on $name', ({ layout, forced, line, mapping, extension }) => {
  it('gives the same counts, rejects, lookups and findings for any chunk size, plain or gzipped; valid lines read as intended', async () => {
    const settings: Settings = { format: forced ? layout : 'auto', mapping };
    await fc.assert(
      fc.asyncProperty(logFile(line, 60), chunkSizes, async (file, sizes) => {
        const result = await expectSameForAnyChunking(file.bytes, extension, sizes, settings);
        // A file of junk only may be refused (its layout cannot be told); the refusal is the same for all.
        if (result instanceof KnownError) return;
        const reading = readingOfRun(result, 0);
        expectEveryLineOnce(reading, file.lines.length);
        file.lines.forEach(({ intended }, index) => {
          if (intended === 'blank') expect(outcomeOf(reading, index + 1)).toEqual({ kind: 'blank' });
          else if (intended !== null) expect(outcomeOf(reading, index + 1), `valid line ${index + 1}`).toEqual({ kind: 'lookup', ...intended });
        });
      }),
      runs(30),
    );
  }, PROPERTY_TIMEOUT);
});

describe('the pipeline on header CSV', () => {
  // Damage that stays in its record: after a stray quote the result may depend on the chunk size (see
  // structured.test.ts).
  it('gives the same counts, rejects, lookups and findings for any chunk size, plain or gzipped', async () => {
    await fc.assert(
      fc.asyncProperty(csvFiles(containedDamage), chunkSizes, async (file, sizes) => {
        const result = await expectSameForAnyChunking(file.bytes, 'csv', sizes, { format: 'auto', mapping: CSV_MAPPING });
        if (result instanceof KnownError) throw result;
        const reading = readingOfRun(result, 1);
        expectEveryLineOnce(reading, file.lines - 1, 2);
        for (const { line, intended } of file.records) {
          if (intended !== null) expect(outcomeOf(reading, line), `valid record at line ${line}`).toEqual({ kind: 'lookup', ...intended });
        }
      }),
      runs(30),
    );
  }, PROPERTY_TIMEOUT);
});

describe('the pipeline on lines of 10 MB', () => {
  it('reads a file with a line of 10 MB the same with chunks of a few bytes as with the default', async () => {
    // The first line is a valid one: behind a first line of 10 MB of junk, the first 64 KiB show no known
    // layout, and the file is refused for that.
    const bkwiLine = lineMix(validClassicLine, validV5Line);
    const files = fc
      .tuple(fc.oneof(validClassicLine, validV5Line), hugeLine, fc.array(fc.oneof(bkwiLine, hugeLine), { maxLength: 3 }), fc.boolean())
      .map(([first, huge, rest, lastEnded]) => assemble([first, huge, ...rest], ['\n', '\r\n'], lastEnded));
    await fc.assert(
      fc.asyncProperty(files, fc.integer({ min: 1, max: 64 }), async (file, size) => {
        const result = await expectSameForAnyChunking(file.bytes, 'log', [size], { format: 'auto' });
        if (result instanceof KnownError) throw result;
        const reading = readingOfRun(result, 0);
        expectEveryLineOnce(reading, file.lines.length);
        expect(outcomeOf(reading, 1)).toEqual({ kind: 'lookup', ...(file.lines[0]!.intended as Intended) });
      }),
      { ...runs(3), endOnFailure: true },
    );
  }, PROPERTY_TIMEOUT);
});

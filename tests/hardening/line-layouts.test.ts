/**
 * Properties of the line-oriented layouts (SI Classic, v5, NDJSON through a mapping): from bytes to lines
 * (forEachLine), lines to lookups or rejects (lineParserFor), and chunks to counts and rule partials
 * (evaluateLineChunk). Invariants of issue 8: nothing throws, every line is counted once, the chunking does
 * not matter, a line is read the same whatever surrounds it, excerpts are at most 200 characters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXCERPT_LIMIT, forEachLine } from '../../src/input/lines.js';
import {
  INLEZEN_MAPPING,
  LINE_LAYOUTS,
  PROPERTY_TIMEOUT,
  cutAt,
  hugeLine,
  logFile,
  runs,
  type GeneratedFile,
  type LineLayoutCase,
} from './generators.js';
import { expectEveryLineOnce, outcomeOf, readChunks, withEngines, type Reading } from './support.js';

const engineOf = withEngines({ bkwi: undefined, inlezen: INLEZEN_MAPPING });

type Event = ['record', number, string] | ['blank', number] | ['reject', number, string, string];

function eventsOf(chunks: readonly Uint8Array[]): { events: Event[]; lines: number } {
  const events: Event[] = [];
  let line = 1;
  for (const chunk of chunks) {
    line += forEachLine(chunk, line, line === 1, {
      record: (text, start, end, at) => events.push(['record', at, text.slice(start, end)]),
      blank: (at) => events.push(['blank', at]),
      reject: (at, reason, excerpt) => events.push(['reject', at, reason, excerpt]),
    });
  }
  return { events, lines: line - 1 };
}

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/** What forEachLine must make of bytes, written from the README's rules rather than from its code. */
function modelEvents(bytes: Buffer): Event[] {
  const pieces: Buffer[] = [];
  for (let from = 0; from < bytes.length; ) {
    const lf = bytes.indexOf(0x0a, from);
    const end = lf < 0 ? bytes.length : lf;
    pieces.push(bytes.subarray(from, end));
    from = end + 1;
  }
  return pieces.map((raw, index): Event => {
    const line = index + 1;
    const bytesOfLine = raw.length > 0 && raw[raw.length - 1] === 0x0d ? raw.subarray(0, -1) : raw;
    if (bytesOfLine.includes(0)) return ['reject', line, 'binary data (NUL byte)', lenient.decode(bytesOfLine).replaceAll('\0', '\\0').slice(0, EXCERPT_LIMIT)];
    let text: string;
    try {
      text = strict.decode(bytesOfLine);
    } catch {
      return ['reject', line, 'invalid UTF-8', lenient.decode(bytesOfLine).slice(0, EXCERPT_LIMIT)];
    }
    if (index === 0 && text.startsWith('\uFEFF')) text = text.slice(1);
    return /^\s*$/.test(text) ? ['blank', line] : ['record', line, text];
  });
}

/** Bytes as they come: runs of anything, line ends of every kind, NULs, BOMs, broken and unbroken UTF-8. */
const SPECIALS = ['\n', '\r\n', '\r', '\0', '\uFEFF', 'Ü', '😀', ' ', '\t', 'info3 ', '5,', '"'].map((text) => Buffer.from(text, 'utf8'));
const rawBytes = fc
  .array(fc.oneof(fc.uint8Array({ maxLength: 12 }).map((bytes) => Buffer.from(bytes)), fc.constantFrom(...SPECIALS, Buffer.from([0xff]), Buffer.from([0xc3]))), {
    maxLength: 60,
  })
  .map((parts) => Buffer.concat(parts));

/** Offsets just after the LFs picked by `picks` (chunks must end on a line boundary). */
function lineBoundaries(bytes: Buffer, picks: readonly number[]): number[] {
  const ends: number[] = [];
  for (let at = bytes.indexOf(0x0a); at >= 0 && at + 1 < bytes.length; at = bytes.indexOf(0x0a, at + 1)) ends.push(at + 1);
  if (ends.length === 0) return [];
  return [...new Set(picks.map((pick) => ends[pick % ends.length]!))].sort((a, b) => a - b);
}

describe('forEachLine', () => {
  it('hands every line over once, as the rules for line ends, BOM, NUL and UTF-8 say, however the bytes are chunked', () => {
    fc.assert(
      fc.property(rawBytes, fc.array(fc.nat(), { maxLength: 8 }), (bytes, picks) => {
        const whole = eventsOf([bytes]);
        expect(whole.events).toEqual(modelEvents(bytes));
        expect(whole.lines).toBe(whole.events.length);
        expect(eventsOf(cutAt(bytes, lineBoundaries(bytes, picks)))).toEqual(whole);
      }),
      runs(1000),
    );
  }, PROPERTY_TIMEOUT);
});

/**
 * The properties of one generated file: each line counted once; each line read as it is read on its own
 * (neighbours never change it); valid lines read as intended, blank ones as blank; the same reading for any
 * cut of the file into chunks at line boundaries.
 */
function checkFile(testCase: LineLayoutCase, file: GeneratedFile, picks: readonly number[]): Reading {
  const engine = engineOf(testCase.mapping ? 'inlezen' : 'bkwi');
  const read = (chunks: readonly Uint8Array[], firstLine?: number) => readChunks(engine, testCase.layout, testCase.forced, chunks, firstLine);
  const whole = read([file.bytes]);
  expectEveryLineOnce(whole, file.lines.length);
  file.lines.forEach((line, index) => {
    const number = index + 1;
    const alone = read([file.lineBytes[index]!], number);
    expectEveryLineOnce(alone, 1, number);
    expect(outcomeOf(whole, number), `line ${number} in the file and on its own`).toEqual(outcomeOf(alone, number));
    if (line.intended === 'blank') expect(outcomeOf(whole, number)).toEqual({ kind: 'blank' });
    else if (line.intended !== null) expect(outcomeOf(whole, number), `valid line ${number}`).toEqual({ kind: 'lookup', ...line.intended });
  });
  expect(read(cutAt(file.bytes, lineBoundaries(file.bytes, picks)))).toEqual(whole);
  return whole;
}

describe.each(LINE_LAYOUTS)('$name', (testCase) => {
  it('counts every line once, reads each line the same whatever surrounds it, and gives the same result for any chunking', () => {
    let rejected = 0;
    let read = 0;
    fc.assert(
      fc.property(logFile(testCase.line), fc.array(fc.nat(), { maxLength: 10 }), (file, picks) => {
        const whole = checkFile(testCase, file, picks);
        rejected += whole.rejects.length;
        read += whole.lookups;
      }),
      runs(150),
    );
    // The generators reach both sides: valid lines are read and damaged ones are rejected.
    expect(read).toBeGreaterThan(1000);
    expect(rejected).toBeGreaterThan(500);
  }, PROPERTY_TIMEOUT);
});

describe('lines of 10 MB', () => {
  it('reads or rejects a line of 10 MB like any other, with an excerpt of at most 200 characters', () => {
    const testCase = LINE_LAYOUTS[2]!;
    const file = logFile(fc.oneof({ weight: 1, arbitrary: hugeLine }, { weight: 4, arbitrary: testCase.line }), 6).filter((generated) =>
      generated.lines.some((line) => line.bytes.length > 10 << 20),
    );
    fc.assert(
      fc.property(file, fc.array(fc.nat(), { maxLength: 4 }), (generated, picks) => {
        checkFile(testCase, generated, picks);
      }),
      // Shrinking lines of 10 MB takes minutes: the first failing case is reported as it is.
      { ...runs(4), endOnFailure: true },
    );
  }, PROPERTY_TIMEOUT);
});

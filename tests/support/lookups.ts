import { expect } from 'vitest';
import { LookupRecord, type RecordParser } from '../../src/input/record.js';
import type { Lookup } from '../../src/rule-api/types.js';

/** The canonical fields of an accepted record as a plain object; fails the test on a reject reason. */
export function lookupOf(result: Lookup | string): Lookup {
  if (typeof result === 'string') throw new Error(`unexpected rejection: ${result}`);
  expect(result).toBeInstanceOf(LookupRecord);
  // What the rules read through bsnNumber: the parser's number must be the BSN's.
  expect((result as LookupRecord).bsnNumber, 'bsnNumber').toBe(result.bsn === null ? -1 : Number(result.bsn));
  return (result as LookupRecord).toJSON();
}

/** The reason a record was rejected; fails the test when it was accepted. */
export function reasonOf(result: Lookup | string): string {
  if (typeof result !== 'string') throw new Error(`expected a rejection, got ${JSON.stringify(result)}`);
  return result;
}

/** A parser result as comparable data: the reject reason, or the canonical fields. */
export function outcome(result: Lookup | string): Lookup | string {
  return typeof result === 'string' ? result : lookupOf(result);
}

/** What surrounds a line in the chunk tests: other records, with quotes and commas that must not be read. */
const BEFORE = 'info3 20260302-08:00:12 "vorige","regel",,\r\n5,x,"y",\n';
const AFTER = '"volgende",,"regel"\n';

/**
 * Parses `text` as one line the way forEachLine hands lines over: on its own (a line decoded separately)
 * and by offsets into a chunk between other lines, ended by LF and by CRLF, with the chunk's bytes (for a
 * line that is not ASCII: its UTF-8 bytes, and the text their Latin-1, see textAt). All must give the same
 * result, which is returned as the parser gave it.
 */
export function parseLine(parse: RecordParser, text: string, line = 1): Lookup | string {
  const alone = parse(text, 0, text.length, line);
  for (const lineEnd of ['\n', '\r\n']) {
    const chunk = `${BEFORE}${text}${lineEnd}${AFTER}`;
    const embedded = outcome(parse(chunk, BEFORE.length, BEFORE.length + text.length, line));
    expect(embedded, `${JSON.stringify(text)} inside a chunk (${JSON.stringify(lineEnd)})`).toStrictEqual(outcome(alone));
    // A string that UTF-8 cannot hold (a lone surrogate) is no line of a file.
    const bytes = Buffer.from(chunk, 'utf8');
    if (bytes.toString('utf8') !== chunk) continue;
    const withBytes = outcome(parse(bytes.toString('latin1'), BEFORE.length, BEFORE.length + Buffer.byteLength(text), line, bytes));
    expect(withBytes, `${JSON.stringify(text)} inside a chunk with its bytes`).toStrictEqual(outcome(alone));
  }
  return alone;
}
